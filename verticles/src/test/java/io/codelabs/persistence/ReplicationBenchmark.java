package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged progress writes through three in-process core nodes on loopback, closed loop: a
 * batcher thread drains what producers queued into one log entry, with a few entries in flight.
 * Run: {@code mvn -B test -Dtest=ReplicationBenchmark -Dbench.excluded=none}
 */
@Tag("benchmark")
class ReplicationBenchmark {
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  private static final int IN_FLIGHT = 4;

  private record Pending(ReplicatedBatch.Named call, CompletableFuture<BatchRunner.Outcome> answer) {
  }

  @Test
  void replicatedWrites() throws Exception {
    for (int producers : List.of(Integer.getInteger("bench.producers", 50))) {
      run(producers);
    }
  }

  private void run(int producers) throws Exception {
    Path dir = Files.createTempDirectory("replication-bench");
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        peers.add(RaftPeer.newBuilder().setId("core" + i).setAddress("127.0.0.1:" + socket.getLocalPort()).build());
      }
    }
    RaftGroup group = RaftGroup.valueOf(RaftGroupId.randomId(), peers);
    Map<String, Writer.Command> byName = new HashMap<>();
    WriteCommands.all().forEach((address, command) -> byName.put(address.address, command));
    List<RaftServer> servers = new ArrayList<>();
    for (RaftPeer peer : peers) {
      RaftProperties properties = properties();
      Path data = Files.createDirectories(dir.resolve(peer.getId().toString()));
      RaftServerConfigKeys.setStorageDir(properties, List.of(data.resolve("raft").toFile()));
      NettyConfigKeys.Server.setPort(properties, Integer.parseInt(peer.getAddress().split(":")[1]));
      RaftServer server = RaftServer.newBuilder().setGroup(group).setServerId(peer.getId()).setProperties(properties)
        .setStateMachine(new BatchStateMachine(data, byName, leading -> { })).build();
      server.start();
      servers.add(server);
    }
    try (RaftClient client = RaftClient.newBuilder().setProperties(properties()).setRaftGroup(group).build()) {
      send(client, List.of(new ReplicatedBatch.Named(Address.FACILITATOR_BOOTSTRAP.address,
        new JsonObject().put("username", "admin").put("passwordHash", HASH))));
      RaftServer leader = servers.stream().filter(server -> isLeader(server, group)).findFirst().orElseThrow();
      Actor owner = Actor.facilitator(adminId(dir.resolve(leader.getId().toString())), "Admin");
      JsonArray steps = new JsonArray();
      IntStream.range(0, 3).forEach(i -> steps.add(new JsonObject().put("title", "Step " + i)
        .put("markdown", "text").put("html", "<p>text</p>").put("durationMinutes", 5)));
      String codelabId = send(client, List.of(new ReplicatedBatch.Named(Address.CODELAB_CREATE.address, new JsonObject()
        .put("actor", owner.toJson()).put("title", "Lab").put("steps", steps)))).get(0).reply().getString("codelabId");
      List<JsonObject> actors = new ArrayList<>();
      for (BatchRunner.Outcome join : send(client, IntStream.range(0, producers).mapToObj(i -> new ReplicatedBatch.Named(
        Address.ATTENDEE_JOIN.address, new JsonObject().put("codelabId", codelabId).put("nickname", "attendee" + i)
          .put("codeHash", HASH))).toList())) {
        JsonObject attendee = join.reply().getJsonObject("attendee");
        actors.add(Actor.attendee(attendee.getString("id"), codelabId, attendee.getString("nickname")).toJson());
      }

      ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);
      Thread batcher = new Thread(() -> batch(client, queue), "batcher");
      batcher.setDaemon(true);
      batcher.start();
      measure(queue, actors, codelabId, 2_000);
      ConcurrentLinkedQueue<Long> latencies = measure(queue, actors, codelabId, 5_000);
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("| 3 core nodes, in process | %d | %,.0f | %.2f | %.2f |%n", producers, sorted.length / 5.0,
        sorted[sorted.length / 2] / 1e6, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6);
      batcher.interrupt();
    } finally {
      for (RaftServer server : servers) {
        server.close();
      }
    }
  }

  private static ConcurrentLinkedQueue<Long> measure(ArrayBlockingQueue<Pending> queue, List<JsonObject> actors,
                                                     String codelabId, long durationMs) throws Exception {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
    List<CompletableFuture<Void>> producers = new ArrayList<>();
    for (JsonObject actor : actors) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      producers.add(done);
      produce(queue, actor, codelabId, 1, end, latencies, done);
    }
    CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get();
    return latencies;
  }

  private static void produce(ArrayBlockingQueue<Pending> queue, JsonObject actor, String codelabId, int step, long end,
                              ConcurrentLinkedQueue<Long> latencies, CompletableFuture<Void> done) {
    if (System.nanoTime() > end) {
      done.complete(null);
      return;
    }
    long start = System.nanoTime();
    CompletableFuture<BatchRunner.Outcome> answer = new CompletableFuture<>();
    queue.add(new Pending(new ReplicatedBatch.Named(Address.PROGRESS_REPORT.address, new JsonObject().put("actor", actor)
      .put("codelabId", codelabId).put("step", step).put("completed", true)), answer));
    answer.whenComplete((outcome, failure) -> {
      latencies.add(System.nanoTime() - start);
      produce(queue, actor, codelabId, step % 3 + 1, end, latencies, done);
    });
  }

  private static void batch(RaftClient client, ArrayBlockingQueue<Pending> queue) {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<Pending> batch = new ArrayList<>();
    try {
      for (;;) {
        batch.add(queue.take());
        queue.drainTo(batch, 999);
        inFlight.acquire();
        List<Pending> sent = List.copyOf(batch);
        batch.clear();
        ReplicatedBatch entry = new ReplicatedBatch(System.currentTimeMillis(), Entropy.newSeed(),
          sent.stream().map(Pending::call).toList());
        client.async().send(Message.valueOf(ByteString.copyFrom(entry.encode()))).whenComplete((reply, failure) -> {
          inFlight.release();
          List<BatchRunner.Outcome> outcomes = failure == null
            ? ReplicatedBatch.decodeOutcomes(reply.getMessage().getContent().toByteArray()) : null;
          for (int i = 0; i < sent.size(); i++) {
            if (outcomes == null) {
              sent.get(i).answer.completeExceptionally(failure);
            } else {
              sent.get(i).answer.complete(outcomes.get(i));
            }
          }
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<BatchRunner.Outcome> send(RaftClient client, List<ReplicatedBatch.Named> calls) throws Exception {
    ReplicatedBatch batch = new ReplicatedBatch(System.currentTimeMillis(), Entropy.newSeed(), calls);
    return ReplicatedBatch.decodeOutcomes(client.io().send(Message.valueOf(ByteString.copyFrom(batch.encode())))
      .getMessage().getContent().toByteArray());
  }

  private static boolean isLeader(RaftServer server, RaftGroup group) {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeader();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String adminId(Path data) throws Exception {
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(Database.url(data));
         java.sql.Statement statement = connection.createStatement();
         java.sql.ResultSet row = statement.executeQuery("SELECT id FROM facilitators")) {
      row.next();
      return row.getString(1);
    }
  }

  private static RaftProperties properties() {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    return properties;
  }
}

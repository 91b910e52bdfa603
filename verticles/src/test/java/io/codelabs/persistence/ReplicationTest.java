package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Replicated batches")
class ReplicationTest {
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  private static final Set<String> PER_FILE = Set.of("settings", "writer_lease", "flyway_schema_history",
    "instance_keys", "replication");

  @TempDir
  Path dir;
  private final List<RaftServer> servers = new ArrayList<>();
  private RaftClient client;
  private long lastIndex;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    for (RaftServer server : servers) {
      server.close();
    }
  }

  @Test
  @DisplayName("reach every core node's own file, and go on after the leader stops, knowing the keys it committed")
  void replicate() throws Exception {
    RaftGroup group = startCoreNodes();
    String codelabId = codelab(group);
    List<BatchRunner.Outcome> joined = join(codelabId);
    JsonObject first = joined.get(0).reply().getJsonObject("attendee");
    ReplicatedBatch.Named chat = new ReplicatedBatch.Named(Address.CHAT_SEND.address, new JsonObject()
      .put("actor", Actor.attendee(first.getString("id"), codelabId, first.getString("nickname")).toJson())
      .put("codelabId", codelabId).put("eventId", "chat-before-failover").put("text", "hello"));
    assertThat(submit(List.of(chat)).get(0).reply().getBoolean("duplicate")).isFalse();

    RaftServer leader = leader(group);
    leader.close();
    servers.remove(leader);
    BatchRunner.Outcome retried = submit(List.of(chat)).get(0);
    assertThat(retried.failure()).as("the chat message's retry, sent to the next leader").isNull();
    assertThat(retried.reply().getBoolean("duplicate")).isTrue();
    for (BatchRunner.Outcome join : joined) {
      JsonObject attendee = join.reply().getJsonObject("attendee");
      JsonObject actor = Actor.attendee(attendee.getString("id"), codelabId, attendee.getString("nickname")).toJson();
      assertThat(submit(List.of(new ReplicatedBatch.Named(Address.PROGRESS_REPORT.address, new JsonObject()
        .put("actor", actor).put("codelabId", codelabId).put("step", 2).put("completed", true)))))
        .allMatch(outcome -> outcome.failure() == null);
    }

    List<Map<String, List<String>>> files = new ArrayList<>();
    for (RaftServer server : servers) {
      awaitApplied(server, group, lastIndex);
      files.add(rows(dir.resolve(server.getId().toString())));
    }
    assertThat(files.get(0).get("events")).hasSizeGreaterThan(10);
    assertThat(files.get(1)).isEqualTo(files.get(0));
  }

  @Test
  @DisplayName("reach each core node's database file while it runs, not only its WAL")
  void checkpointedWhileRunning() throws Exception {
    RaftGroup group = startCoreNodes();
    join(codelab(group));
    for (RaftServer server : servers) {
      awaitApplied(server, group, lastIndex);
      Path data = dir.resolve(server.getId().toString());
      String committed = one(data, "SELECT count(*) FROM events");
      assertThat(Integer.parseInt(committed)).isGreaterThanOrEqualTo(5);
      // Far below the 1,000 frames at which a core node would checkpoint on its apply thread: only its checkpoint thread
      // copies these.
      FileRows.awaitInFileAlone(data, "SELECT count(*) FROM events", committed, Duration.ofSeconds(10));
    }
  }

  /** Three core nodes on loopback, each with its own directory under {@link #dir}, and a client of their log. */
  private RaftGroup startCoreNodes() throws Exception {
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add(RaftPeer.newBuilder().setId("core" + i).setAddress("127.0.0.1:" + freePort()).build());
    }
    RaftGroup group = RaftGroup.valueOf(RaftGroupId.randomId(), peers);
    Map<String, Writer.Command> byName = new HashMap<>();
    WriteCommands.all().forEach((address, command) -> byName.put(address.address, command));
    for (RaftPeer peer : peers) {
      RaftProperties properties = properties();
      Path data = Files.createDirectories(dir.resolve(peer.getId().toString()));
      RaftServerConfigKeys.setStorageDir(properties, List.of(data.resolve("raft").toFile()));
      GrpcConfigKeys.Server.setPort(properties, Integer.parseInt(peer.getAddress().split(":")[1]));
      RaftServer server = RaftServer.newBuilder().setGroup(group).setServerId(peer.getId()).setProperties(properties)
        .setStateMachine(new BatchStateMachine(data, byName, leading -> { })).build();
      server.start();
      servers.add(server);
    }
    client = RaftClient.newBuilder().setProperties(properties()).setRaftGroup(group).build();
    return group;
  }

  /** A facilitator and a codelab of three steps, through the log; the codelab's id. */
  private String codelab(RaftGroup group) throws Exception {
    submit(List.of(new ReplicatedBatch.Named(Address.FACILITATOR_BOOTSTRAP.address,
      new JsonObject().put("username", "admin").put("passwordHash", HASH))));
    String adminId = one(dir.resolve(leader(group).getId().toString()), "SELECT id FROM facilitators");
    JsonArray steps = new JsonArray();
    IntStream.range(0, 3).forEach(i -> steps.add(new JsonObject().put("title", "Step " + i)
      .put("markdown", "text").put("html", "<p>text</p>").put("durationMinutes", 5)));
    return submit(List.of(new ReplicatedBatch.Named(Address.CODELAB_CREATE.address, new JsonObject()
      .put("actor", Actor.facilitator(adminId, "Admin").toJson()).put("title", "Lab").put("steps", steps))))
      .get(0).reply().getString("codelabId");
  }

  /** Five attendees joined in one batch. */
  private List<BatchRunner.Outcome> join(String codelabId) throws Exception {
    List<BatchRunner.Outcome> joined = submit(IntStream.range(0, 5).mapToObj(i -> new ReplicatedBatch.Named(
      Address.ATTENDEE_JOIN.address, new JsonObject().put("codelabId", codelabId).put("nickname", "attendee" + i)
        .put("codeHash", HASH))).toList());
    assertThat(joined).allMatch(outcome -> outcome.failure() == null);
    return joined;
  }

  /** Answered once a majority holds the batch and the leader has applied it; followers may apply it after. */
  private List<BatchRunner.Outcome> submit(List<ReplicatedBatch.Named> calls) throws Exception {
    ReplicatedBatch batch = new ReplicatedBatch(System.currentTimeMillis(), Entropy.newSeed(), calls);
    RaftClientReply reply = client.io().send(Message.valueOf(ByteString.copyFrom(batch.encode())));
    assertThat(reply.isSuccess()).isTrue();
    lastIndex = reply.getLogIndex();
    return ReplicatedBatch.decodeOutcomes(reply.getMessage().getContent().toByteArray());
  }

  private RaftServer leader(RaftGroup group) {
    return servers.stream().filter(server -> isLeader(server, group)).findFirst().orElseThrow();
  }

  /** Followers apply a committed batch in their own time, after the leader answered. */
  private static void awaitApplied(RaftServer server, RaftGroup group, long index) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.getDivision(group.getGroupId()).getInfo().getLastAppliedIndex() < index) {
      assertThat(System.nanoTime()).as("%s applies entry %d", server.getId(), index).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static boolean isLeader(RaftServer server, RaftGroup group) {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeader();
    } catch (Exception e) {
      return false;
    }
  }

  private static RaftProperties properties() {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    return properties;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String one(Path data, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(Database.url(data))) {
      return FileRows.one(connection, sql);
    }
  }

  private static Map<String, List<String>> rows(Path data) throws Exception {
    try (Connection connection = DriverManager.getConnection(Database.url(data))) {
      return FileRows.of(connection, PER_FILE);
    }
  }
}

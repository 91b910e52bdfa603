package io.codelabs.persistence;

import io.codelabs.NodeConfig;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.SharedConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Three core nodes on loopback, each with its own Vert.x (so its own event bus, which no other node reaches), its own
 * data directory and its own router; the node that leads runs the writer, as a core node's seat deploys it.
 */
final class CoreTrio {
  /** A password or join code hash in the shape the API stores; the tests never sign in with it. */
  static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  private static final DeliveryOptions FIVE_SECONDS = new DeliveryOptions().setSendTimeout(5_000);
  final List<Vertx> nodes = new ArrayList<>();
  final List<JsonObject> configs = new ArrayList<>();
  final List<CoreReplica> replicas = new ArrayList<>();
  final List<CoreRouter> routers = new ArrayList<>();
  int leader;

  /**
   * Starts a test's trios, each in a directory of the test's, and stops every one once the test ended, also one whose
   * start failed half-way: register it with {@code @RegisterExtension}.
   */
  static final class Fixture implements AfterEachCallback {
    private final List<CoreTrio> started = new ArrayList<>();

    /** With the snapshot interval a core node has by default. */
    Future<CoreTrio> start(Path dir) throws Exception {
      return start(dir, NodeConfig.of(new JsonObject()).json().getInteger(CoreReplica.SNAPSHOT_EVERY));
    }

    Future<CoreTrio> start(Path dir, int snapshotEvery) throws Exception {
      CoreTrio trio = new CoreTrio();
      started.add(trio);
      return trio.start(dir, snapshotEvery);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
      for (CoreTrio trio : started) {
        trio.stop();
      }
      started.clear();
    }
  }

  private Future<CoreTrio> start(Path dir, int snapshotEvery) throws Exception {
    List<Integer> ports = freePorts(3);
    String peers = IntStream.range(0, 3).mapToObj(i -> "core" + i + "=127.0.0.1:" + ports.get(i))
      .collect(Collectors.joining(","));
    Promise<Integer> elected = Promise.promise();
    List<Future<CoreReplica>> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int index = i;
      Vertx node = Vertx.vertx();
      nodes.add(node);
      JsonObject config = NodeConfig.of(new JsonObject().put(SharedConfig.DATA_DIR, dir.resolve("core" + i).toString()))
        .json().put(CoreReplica.PEERS, peers).put(CoreReplica.ID, "core" + i).put(CoreReplica.SNAPSHOT_EVERY, snapshotEvery);
      configs.add(config);
      started.add(CoreReplica.start(node, config, leading -> {
        if (leading) {
          elected.tryComplete(index);
        }
      }));
    }
    return Future.all(started).compose(all -> {
      started.forEach(replica -> replicas.add(replica.result()));
      return elected.future();
    }).compose(leader -> {
      this.leader = leader;
      return nodes.get(leader).deployVerticle(new PersistenceVerticle(replicas.get(leader)),
        new DeploymentOptions().setConfig(configs.get(leader)));
    }).compose(writer -> Future.all(IntStream.range(0, 3).mapToObj(i ->
        CoreRouter.start(nodes.get(i), configs.get(i), replicas.get(i))).toList()))
      .map(routing -> {
        routing.<CoreRouter>list().forEach(routers::add);
        return this;
      });
  }

  Vertx leaderNode() {
    return nodes.get(leader);
  }

  List<Integer> followers() {
    return IntStream.range(0, 3).filter(i -> i != leader).boxed().toList();
  }

  /**
   * Hands the leadership to another core node (Ratis' transfer: a new term) and completes once that node leads; its
   * writer is not deployed.
   */
  Future<Void> moveLeadership(int to) {
    Vertx node = nodes.get(to);
    return node.executeBlocking(() -> {
      RaftProperties properties = new RaftProperties();
      RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
      try (RaftClient client = RaftClient.newBuilder().setProperties(properties)
        .setRaftGroup(RaftGroup.valueOf(CoreReplica.GROUP, CoreReplica.peers(configs.get(to).getString(CoreReplica.PEERS))))
        .build()) {
        return client.admin().transferLeadership(RaftPeerId.valueOf("core" + to), 10_000);
      }
    }).compose(reply -> awaitLeading(node, replicas.get(to), System.nanoTime() + TimeUnit.SECONDS.toNanos(30)))
      .onSuccess(led -> leader = to);
  }

  private static Future<Void> awaitLeading(Vertx node, CoreReplica replica, long deadline) {
    return retryUntil(node, deadline, () -> replica.leading() ? Future.succeededFuture()
      : Future.failedFuture(new AssertionError(replica.selfId() + " never led")));
  }

  /**
   * Until the node's read barrier passes: a restarted node learns who leads from the leader's next heartbeat, and until
   * then its barrier answers busy, as a sender would be.
   */
  static Future<Void> caughtUp(Vertx node, CoreReplica replica, long deadline) {
    return retryUntil(node, deadline, () -> Future.fromCompletionStage(replica.readBarrier(), node.getOrCreateContext()));
  }

  /** A command or query for the writer sent on this node's own bus, answered within 5 s. */
  static Future<JsonObject> request(Vertx node, Address address, JsonObject body) {
    return node.eventBus().<JsonObject>request(address.address, body, FIVE_SECONDS).map(message -> message.body());
  }

  /** The first facilitator, made through the writer and then looked up on {@code finder}; answers it as an actor. */
  static Future<JsonObject> admin(Vertx writerNode, Vertx finder) {
    return request(writerNode, Address.FACILITATOR_BOOTSTRAP, new JsonObject().put("username", "admin")
        .put("passwordHash", HASH))
      .compose(created -> request(finder, Address.FACILITATOR_FIND, new JsonObject().put("username", "admin")))
      .map(admin -> Actor.facilitator(admin.getString("id"), "Admin").toJson());
  }

  /** Codelabs of one step each with this Markdown, one after the other, each once the last was acknowledged. */
  static Future<Void> createCodelabs(Vertx writerNode, JsonObject actor, int count, String markdown) {
    Future<Void> created = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      created = created.compose(previous -> request(writerNode, Address.CODELAB_CREATE, new JsonObject()
        .put("actor", actor).put("title", "Lab").put("steps", new JsonArray().add(new JsonObject().put("title", "Step")
          .put("markdown", markdown).put("html", "<p>" + markdown + "</p>").put("durationMinutes", 5)))).mapEmpty());
    }
    return created;
  }

  static int codelabs(Connection connection) throws Exception {
    return Integer.parseInt(FileRows.one(connection, "SELECT COUNT(*) FROM codelabs"));
  }

  /** The attempt again every 50 ms while it fails, until the deadline; then its last failure. */
  static Future<Void> retryUntil(Vertx node, long deadline, Supplier<Future<Void>> attempt) {
    return attempt.get().recover(failure -> {
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(failure);
      }
      Promise<Void> again = Promise.promise();
      node.setTimer(50, timer -> retryUntil(node, deadline, attempt).onComplete(again));
      return again.future();
    });
  }

  /** Blocking. Routers first: a node closed with its readers' pool open does not finish closing. */
  void stop() throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      Vertx node = nodes.get(i);
      CoreReplica replica = i < replicas.size() ? replicas.get(i) : null;
      Future<Void> unrouted = i < routers.size() ? routers.get(i).stop() : Future.succeededFuture();
      Future<Void> stopped = unrouted.transform(done -> replica == null ? Future.succeededFuture() : replica.stop(node));
      stopped.transform(done -> node.close()).await(30, TimeUnit.SECONDS);
    }
  }

  /** Held open together while their ports are read, so that no two are the same. */
  private static List<Integer> freePorts(int count) throws Exception {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}

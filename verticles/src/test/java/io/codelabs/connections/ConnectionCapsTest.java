package io.codelabs.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.RawConnection;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pending connections are capped per source address and in total (oldest out first), all connections in total. */
@DisplayName("Caps on pending and open connections")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionCapsTest {
  /** Longer than any test here, so a close seen within {@link #AT_ONCE_MS} is a cap's doing, never the header timer's. */
  static final long HEADER_MS = 120_000;
  static final long AT_ONCE_MS = 5_000;
  static final String PARTIAL_HEAD = "GET /health HTTP/1.1\r\nHost: localhost\r\n";
  static final String REST_OF_HEAD = "Connection: close\r\n\r\n";
  static final String FULL_HEAD = PARTIAL_HEAD + REST_OF_HEAD;

  @TempDir
  Path dataDir;
  private Node node;
  private final Map<String, NetClient> clients = new HashMap<>();

  private void start(JsonObject limits) {
    node = TestNode.start(dataDir, limits.put("http." + ConnectionLimits.HEADER_TIMEOUT_MS, HEADER_MS)
      .put("bridge." + ConnectionLimits.HEADER_TIMEOUT_MS, HEADER_MS));
  }

  @AfterEach
  void stop() {
    clients.values().forEach(client -> client.close().await());
    node.stop().await();
  }

  /** Connections whose source is the given loopback address. */
  private NetClient from(String address) {
    return clients.computeIfAbsent(address,
      local -> node.vertx.createNetClient(new NetClientOptions().setLocalAddress(local)));
  }

  /** Opened one after another, so the server sees them arrive in this order. */
  private List<RawConnection> openPartial(String address, int port, int count) {
    List<RawConnection> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opened.add(RawConnection.open(from(address), port).await().write(PARTIAL_HEAD));
    }
    return opened;
  }

  private static long closedWithin(RawConnection connection, long bound) throws Exception {
    return connection.closed().await(bound, TimeUnit.MILLISECONDS);
  }

  private static long countClosed(List<RawConnection> connections) {
    return connections.stream().filter(RawConnection::isClosed).count();
  }

  /** A complete request that asks for a close after its answer, so the close says the answer is all there. */
  private String answerTo(String address, int port) throws Exception {
    RawConnection connection = RawConnection.open(from(address), port).await().write(FULL_HEAD);
    closedWithin(connection, AT_ONCE_MS);
    return connection.received();
  }

  @Test
  @DisplayName("Pending connections from one address past its cap are closed at once; admitted ones and other addresses are served")
  void pendingPerAddressCap() throws Exception {
    int cap = 5;
    start(new JsonObject().put("http." + ConnectionLimits.MAX_PENDING_PER_ADDRESS, cap));
    List<RawConnection> flood = openPartial("127.0.0.2", node.httpPort, cap + 3);

    RawConnection.closedCount(flood, 3).await(AT_ONCE_MS, TimeUnit.MILLISECONDS);
    assertThat(answerTo("127.0.0.3", node.httpPort)).startsWith("HTTP/1.1 200");
    assertThat(countClosed(flood)).as("closed by the per-address cap").isEqualTo(3);
    flood.stream().filter(RawConnection::isClosed)
      .forEach(closed -> assertThat(closed.received()).as("a refused connection gets no answer").isEmpty());

    RawConnection admitted = flood.stream().filter(connection -> !connection.isClosed()).findFirst().orElseThrow();
    admitted.write(REST_OF_HEAD);
    closedWithin(admitted, AT_ONCE_MS);
    assertThat(admitted.received()).startsWith("HTTP/1.1 200");
  }

  @Test
  @DisplayName("A full pending cap closes the oldest pending connection, so a client that sends its head at once is served")
  void pendingCapEvictsTheOldest() throws Exception {
    int cap = 6;
    start(new JsonObject().put("http." + ConnectionLimits.MAX_PENDING, cap)
      .put("http." + ConnectionLimits.MAX_PENDING_PER_ADDRESS, 2));
    List<RawConnection> attacker = new ArrayList<>();
    for (String address : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
      attacker.addAll(openPartial(address, node.httpPort, 2));
    }

    assertThat(answerTo("127.0.0.1", node.httpPort)).startsWith("HTTP/1.1 200");
    closedWithin(attacker.get(0), AT_ONCE_MS);
    assertThat(attacker.get(0).received()).isEmpty();

    attacker.addAll(openPartial("127.0.0.5", node.httpPort, 1));
    assertThat(answerTo("127.0.0.1", node.httpPort)).startsWith("HTTP/1.1 200");
    closedWithin(attacker.get(1), AT_ONCE_MS);
    assertThat(answerTo("127.0.0.6", node.httpPort)).startsWith("HTTP/1.1 200");
    assertThat(attacker.subList(2, attacker.size())).as("younger pending connections stay")
      .noneMatch(RawConnection::isClosed);
  }

  @Test
  @DisplayName("Past the open-connection cap new connections are closed at once, while established keep-alive and WebSocket connections keep working")
  void openConnectionCap() throws Exception {
    int cap = 4;
    start(new JsonObject().put("http." + ConnectionLimits.MAX_CONNECTIONS, cap)
      .put("bridge." + ConnectionLimits.MAX_CONNECTIONS, cap));
    Http keepAlive = new Http(node.vertx, node.httpPort, 1);
    Sockets sockets = BridgeClient.client(node.vertx);
    try {
      String facilitator = keepAlive.login(Node.FIRST_FACILITATOR, node.createdPassword);
      String codelabId = keepAlive.createCodelab(facilitator, new JsonObject().put("title", "Caps")
        .put("steps", new JsonArray().add(new JsonObject().put("title", "Only").put("markdown", "Hi").put("durationMinutes", 5))));
      String attendee = keepAlive.join(codelabId, "capped", "code-capped").getString("token");
      BridgeClient realtime = BridgeClient.connect(sockets, node.bridgePort, attendee).await();
      realtime.register(Address.PUBLIC_EVENTS.of(codelabId));
      realtime.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0))
        .await(AT_ONCE_MS, TimeUnit.MILLISECONDS);

      List<RawConnection> apiFlood = openPartial("127.0.0.2", node.httpPort, cap + 2);
      List<RawConnection> bridgeFlood = openPartial("127.0.0.2", node.bridgePort, cap + 2);
      RawConnection.closedCount(apiFlood, 3).await(AT_ONCE_MS, TimeUnit.MILLISECONDS);
      RawConnection.closedCount(bridgeFlood, 3).await(AT_ONCE_MS, TimeUnit.MILLISECONDS);

      RawConnection refused = RawConnection.open(from("127.0.0.3"), node.httpPort).await().write(FULL_HEAD);
      closedWithin(refused, AT_ONCE_MS);
      assertThat(refused.received()).as("no answer past the cap").isEmpty();
      assertThat(BridgeClient.connect(sockets, node.bridgePort, attendee).toCompletionStage().toCompletableFuture()
        .handle((socket, failure) -> failure).get(AT_ONCE_MS, TimeUnit.MILLISECONDS))
        .as("a new WebSocket past the cap").isNotNull();

      Future<JsonObject> announced = realtime.next(frame -> BridgeClient.event("announcement.posted").test(frame)
        && "Still here".equals(frame.getJsonObject("body").getJsonObject("data").getJsonObject("announcement")
        .getString("text")));
      assertThat(keepAlive.post("/api/codelabs/" + codelabId + "/announcements", facilitator,
        new JsonObject().put("text", "Still here")).status()).as("over the established keep-alive connection")
        .isEqualTo(201);
      announced.await(AT_ONCE_MS, TimeUnit.MILLISECONDS);
      assertThat(keepAlive.get("/health", null).status()).isEqualTo(200);
      assertThat(countClosed(apiFlood)).isEqualTo(3);
      assertThat(countClosed(bridgeFlood)).isEqualTo(3);
      realtime.close().await();
    } finally {
      keepAlive.close();
      sockets.close().await();
    }
  }
}

package io.codelabs.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.RawConnection;
import io.codelabs.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that never finish what they started are closed within their bounds, on both servers. */
@DisplayName("Header, body and request time bounds")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionTimeoutsTest extends NodeTestBase {
  static final long HEADER_MS = 500;
  static final long IDLE_MS = 6_000;
  static final long REQUEST_MS = 5_000;
  /** Room for a busy machine; without the bounds these connections stay open for good. */
  static final long SLACK_MS = 3_000;

  private static NetClient raw;
  private static Sockets sockets;

  @BeforeAll
  protected static void startNode() {
    JsonObject limits = new JsonObject();
    for (String server : new String[] {"http.", "bridge."}) {
      limits.put(server + ConnectionLimits.HEADER_TIMEOUT_MS, HEADER_MS)
        .put(server + ConnectionLimits.IDLE_TIMEOUT_MS, IDLE_MS)
        .put(server + ConnectionLimits.REQUEST_TIMEOUT_MS, REQUEST_MS);
    }
    node = TestNode.start(dataDir, limits);
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    raw = node.vertx.createNetClient();
    sockets = BridgeClient.client(node.vertx);
  }

  @AfterAll
  static void closeClients() {
    raw.close().await();
  }

  static long closedWithin(RawConnection connection, long bound) throws Exception {
    return connection.closed().toCompletionStage().toCompletableFuture().get(bound, TimeUnit.MILLISECONDS);
  }

  @Test
  @DisplayName("A request head left unfinished is closed after the header time")
  void unfinishedHeadIsClosed() throws Exception {
    RawConnection connection = RawConnection.open(raw, node.httpPort).await()
      .write("GET /health HTTP/1.1\r\nHost: localhost\r\n");
    assertThat(closedWithin(connection, HEADER_MS + SLACK_MS)).isGreaterThanOrEqualTo(HEADER_MS - 50);
    assertThat(connection.received()).isEmpty();
  }

  @Test
  @DisplayName("A connection that sends nothing at all is closed after the header time")
  void silentConnectionIsClosed() throws Exception {
    RawConnection connection = RawConnection.open(raw, node.httpPort).await();
    assertThat(closedWithin(connection, HEADER_MS + SLACK_MS)).isGreaterThanOrEqualTo(HEADER_MS - 50);
  }

  @Test
  @DisplayName("A promised body that stops coming is closed, by the request time or the idle time, whichever is first")
  void stalledBodyIsClosed() throws Exception {
    RawConnection connection = RawConnection.open(raw, node.httpPort).await()
      .write("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"username\":");
    assertThat(closedWithin(connection, Math.min(IDLE_MS, REQUEST_MS) + SLACK_MS))
      .isGreaterThanOrEqualTo(Math.min(IDLE_MS, REQUEST_MS) - 50);
  }

  @Test
  @DisplayName("A body trickled to stay under the idle time gets 408 problem+json at the request time, then a close")
  void trickledBodyGets408() throws Exception {
    RawConnection connection = RawConnection.open(raw, node.httpPort).await()
      .write("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n{");
    long trickle = node.vertx.setPeriodic(IDLE_MS / 4, id -> connection.write(" "));
    try {
      assertThat(closedWithin(connection, REQUEST_MS + SLACK_MS)).isGreaterThanOrEqualTo(REQUEST_MS - 50);
    } finally {
      node.vertx.cancelTimer(trickle);
    }
    assertThat(connection.received()).startsWith("HTTP/1.1 408").contains("application/problem+json")
      .containsIgnoringCase("connection: close").contains("\"status\":408");
  }

  @Test
  @DisplayName("Keep-alive connections still serve several requests, and a slow answer is not cut before its bound")
  void wellBehavedClientsAreServed() {
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/health", null).status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("A WebSocket handshake left unfinished on the bridge is closed after the header time")
  void unfinishedHandshakeIsClosed() throws Exception {
    RawConnection connection = RawConnection.open(raw, node.bridgePort).await()
      .write("GET /eventbus/websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
    assertThat(closedWithin(connection, HEADER_MS + SLACK_MS)).isGreaterThanOrEqualTo(HEADER_MS - 50);
  }

  @Test
  @DisplayName("An upgraded bridge socket outlives the header and request times")
  void upgradedSocketIsNotTimed() throws Exception {
    String codelabId = codelab(admin);
    BridgeClient client = BridgeClient.connect(sockets, node.bridgePort, attendee(codelabId, unique("ws"))).await();
    long pastBounds = REQUEST_MS + HEADER_MS;
    Future<Long> timer = Future.future(promise -> node.vertx.setTimer(pastBounds, promise::complete));
    timer.await();
    client.write(new JsonObject().put("type", "ping"));
    assertThat(client.closed().isComplete()).as("closed by the guard").isFalse();
    client.close().await();
  }
}

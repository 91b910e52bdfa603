package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bus.Address;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Realtime settings of a node: public origin, ping timeout")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeSettingsTest {

  @Test
  @DisplayName("with a public URL configured, only pages from its origin may open sockets")
  void publicOrigin(Vertx vertx, @TempDir Path dataDir) {
    Node node = TestNode.start(dataDir, new JsonObject().put(HttpApiVerticle.PUBLIC_URL, "https://codelabs.example"));
    try {
      String admin = new Http(vertx, node.httpPort).login(Node.FIRST_FACILITATOR, node.createdPassword);
      WebSocketClient client = BridgeClient.client(vertx);
      BridgeClient fromPublicPage = BridgeClient.connect(client, node.bridgePort, admin,
        MultiMap.caseInsensitiveMultiMap().add("Origin", "https://codelabs.example")).await();
      JsonObject reply = fromPublicPage.request(Address.ANNOUNCEMENT_POST.address,
        new JsonObject().put("codelabId", "none").put("text", "x")).await();
      assertThat(reply.getInteger("failureCode")).as("served, then refused by the writer").isEqualTo(404);

      BridgeClient fromSameHost = BridgeClient.connect(client, node.bridgePort, admin,
        MultiMap.caseInsensitiveMultiMap().add("Origin", "http://127.0.0.1:" + node.httpPort)).await();
      assertThat(fromSameHost.closed().await()).isEqualTo((short) 4003);
    } finally {
      node.stop().await();
    }
  }

  @Test
  @DisplayName("a socket that stops pinging (a laptop lid closed) is closed after the ping timeout")
  void silentSocketClosed(Vertx vertx, @TempDir Path dataDir) {
    Node node = TestNode.start(dataDir, new JsonObject().put(BridgeVerticle.PING_TIMEOUT_MS, 400));
    try {
      String admin = new Http(vertx, node.httpPort).login(Node.FIRST_FACILITATOR, node.createdPassword);
      BridgeClient pinging = BridgeClient.connect(BridgeClient.client(vertx), node.bridgePort, admin).await();
      long pinger = vertx.setPeriodic(100, id -> pinging.write(new JsonObject().put("type", "ping")));
      BridgeClient silent = BridgeClient.connect(BridgeClient.client(vertx), node.bridgePort, admin).await();
      assertThat(silent.closed().await()).isEqualTo((short) 4000);
      assertThat(pinging.closed().isComplete()).as("the socket that pings stays open").isFalse();
      vertx.cancelTimer(pinger);
    } finally {
      node.stop().await();
    }
  }
}

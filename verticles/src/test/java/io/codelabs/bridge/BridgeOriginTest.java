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

@DisplayName("Realtime origin check behind a public URL")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeOriginTest {

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
}

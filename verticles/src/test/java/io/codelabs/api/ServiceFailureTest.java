package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Http.Response;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("When the writer is missing or silent")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServiceFailureTest {

  @Test
  @DisplayName("an API node without a writer is not ready and answers 503 problems, not hangs")
  void noWriter(@TempDir Path dataDir) {
    Node node = TestNode.start(dataDir, new JsonObject().put("roles", "api"));
    Http http = new Http(node.vertx, node.httpPort);
    try {
      assertThat(http.get("/health", null).status()).isEqualTo(200);
      Response ready = http.get("/ready", null);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.header("content-type")).isEqualTo("application/problem+json");
      Response login = http.post("/api/auth/login", null, new JsonObject().put("username", "a").put("password", "b"));
      assertThat(login.status()).isEqualTo(503);
    } finally {
      node.stop().await();
    }
  }

  @Test
  @DisplayName("no handler for an address maps to 503, a request that times out to 504")
  void noHandlersAndTimeout(@TempDir Path dataDir) {
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Address.AUTH_KEYS.address, message ->
      message.reply(new JsonObject().put("signingSecret", "0123456789abcdef0123456789abcdef").put("epoch", "e")));
    vertx.eventBus().<JsonObject>consumer(Address.ATTEMPTS_CHECK.address, message ->
      message.reply(new JsonObject().put("allowed", true)));
    vertx.eventBus().<JsonObject>consumer(Address.FACILITATOR_FIND.address, message -> { });
    Node node = Node.deploy(vertx, TestNode.config(dataDir, new JsonObject().put("roles", "api")
      .put(BusClient.TIMEOUT_KEY, 300))).await();
    Http http = new Http(node.vertx, node.httpPort);
    try {
      Response ready = http.get("/ready", null);
      assertThat(ready.status()).as("the writer status address has no handler").isEqualTo(503);
      assertThat(ready.json().getString("detail")).contains("not available");
      Response login = http.post("/api/auth/login", null, new JsonObject().put("username", "a").put("password", "b"));
      assertThat(login.status()).isEqualTo(504);
      assertThat(login.json().getInteger("status")).isEqualTo(504);
    } finally {
      node.stop().await();
    }
  }
}

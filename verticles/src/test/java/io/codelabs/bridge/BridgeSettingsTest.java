package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bus.Address;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.UUID;
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
      Sockets client = BridgeClient.client(vertx);
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

  @Test
  @DisplayName("a socket whose token expires is told its session ended and closed; one with a valid token stays")
  void expiredTokenClosesItsSocket(Vertx vertx, @TempDir Path dataDir) {
    Node node = TestNode.start(dataDir, new JsonObject().put(BridgeVerticle.PING_TIMEOUT_MS, 400));
    try {
      String admin = new Http(vertx, node.httpPort).login(Node.FIRST_FACILITATOR, node.createdPassword);
      String secret = node.vertx.eventBus().<JsonObject>request(Address.AUTH_KEYS.address, new JsonObject())
        .map(Message::body).await().getString("signingSecret");
      JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
      String shortLived = signer.generateToken(new JsonObject().put("role", "FACILITATOR").put("name", "Administrator")
        .put("csrf", "x").put("jti", UUID.randomUUID().toString()), new JWTOptions().setSubject("f1").setExpiresInSeconds(2));
      BridgeClient valid = BridgeClient.connect(BridgeClient.client(vertx), node.bridgePort, admin).await();
      BridgeClient expiring = BridgeClient.connect(BridgeClient.client(vertx), node.bridgePort, shortLived).await();
      long pinger = vertx.setPeriodic(100, id -> {
        valid.write(new JsonObject().put("type", "ping"));
        expiring.write(new JsonObject().put("type", "ping"));
      });
      assertThat(expiring.next(BridgeClient.error("session_ended")).await()).isNotNull();
      assertThat(expiring.closed().await()).isEqualTo((short) 4001);
      assertThat(valid.closed().isComplete()).as("the socket with a valid token stays open").isFalse();
      vertx.cancelTimer(pinger);
    } finally {
      node.stop().await();
    }
  }
}

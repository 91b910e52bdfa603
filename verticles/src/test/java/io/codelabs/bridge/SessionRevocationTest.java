package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ended sessions lose their realtime sockets at once, and cannot open new ones. */
@DisplayName("Realtime sockets of ended sessions")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionRevocationTest extends NodeTestBase {
  private static final String PASSWORD = "correct horse battery";

  private Sockets client;

  @BeforeEach
  void client(Vertx vertx) {
    client = BridgeClient.client(vertx);
  }

  @Test
  @DisplayName("sign-out closes the session's open socket at once and refuses it at the next handshake")
  void logoutClosesSocket(VertxTestContext test) {
    String codelabId = codelab(admin);
    String attendee = attendee(codelabId, unique("neo"));
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, attendee).await();
    EndedConnection.toldClosedAndRefused(test, socket, () -> BridgeClient.connect(client, node.bridgePort, attendee));
    assertThat(http.post("/api/auth/logout", attendee, null).status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a password change closes the account's other sockets; its fresh token opens a new one")
  void passwordChangeClosesSockets(VertxTestContext test) {
    String username = unique("sock");
    String token = newFacilitator(username);
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, token).await();
    Checkpoint closed = test.checkpoint();
    Checkpoint freshOpen = test.checkpoint();
    socket.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      assertThat(status).isEqualTo((short) 4001);
      closed.flag();
    })));
    Response changed = http.post("/api/auth/password", token, new JsonObject()
      .put("currentPassword", PASSWORD).put("newPassword", "another long secret"));
    assertThat(changed.status()).isEqualTo(200);
    String freshToken = changed.json().getString("token");
    String codelabId = codelab(freshToken);
    BridgeClient fresh = BridgeClient.connect(client, node.bridgePort, freshToken).await();
    fresh.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("type")).as("the fresh socket is open and answered").isEqualTo("rec");
        freshOpen.flag();
      })));
  }

  @Test
  @DisplayName("a second bridge verticle closes the socket of a session signed out through the API")
  void secondBridgeCloses(VertxTestContext test) {
    BridgeVerticle second = new BridgeVerticle();
    node.vertx.deployVerticle(second, new DeploymentOptions()
      .setConfig(TestNode.config(dataDir, new JsonObject()).json())).await();
    String token = newFacilitator(unique("two"));
    BridgeClient socket = BridgeClient.connect(client, second.actualPort(), token).await();
    Checkpoint closed = test.checkpoint();
    socket.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      assertThat(status).isEqualTo((short) 4001);
      closed.flag();
    })));
    assertThat(http.post("/api/auth/logout", token, null).status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a correctly signed token without exp is refused at the handshake")
  void tokenWithoutExpiryRefused(VertxTestContext test) {
    String secret = node.vertx.eventBus().<JsonObject>request(Address.AUTH_KEYS.address, new JsonObject())
      .map(Message::body).await().getString("signingSecret");
    JWTAuth signer = JWTAuth.create(node.vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    String forever = signer.generateToken(new JsonObject().put("role", "FACILITATOR").put("name", "Administrator")
        .put("csrf", "x").put("jti", UUID.randomUUID().toString()).put("iat", System.currentTimeMillis() / 1000.0),
      new JWTOptions().setSubject("f1").setNoTimestamp(true));
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, forever).await();
    Checkpoint refused = test.checkpoint();
    socket.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      assertThat(status).isEqualTo((short) 4001);
      refused.flag();
    })));
  }
}

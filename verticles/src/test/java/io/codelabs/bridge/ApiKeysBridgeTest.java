package io.codelabs.bridge;

import static io.codelabs.BridgeClient.error;
import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** API keys on the realtime bridge: scopes and the codelab limit decide what a key's socket may do; revoking closes it. */
@DisplayName("API keys on the realtime bridge")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiKeysBridgeTest extends NodeTestBase {
  private Sockets client;
  /** Kept in a field: Vert.x closes clients nothing refers to any more. */
  private BridgeClient.Clients clients;
  private String codelabId;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = BridgeClient.client(vertx);
    codelabId = codelab(admin);
  }

  private static JsonObject create(String codelabId, String... scopes) {
    Response created = http.post("/api/keys", admin, new JsonObject().put("name", unique("bot "))
      .put("scopes", new JsonArray(List.of(scopes))).put("codelabId", codelabId));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json();
  }

  private BridgeClient connect(String key) {
    return BridgeClient.connect(client, node.bridgePort, key).await();
  }

  private JsonObject announcement(String codelab) {
    return new JsonObject().put("codelabId", codelab).put("text", "Lunch at 12");
  }

  @Test
  @DisplayName("events:read receives a codelab's streams and replays them, and may not send commands")
  void eventsRead(VertxTestContext test) {
    String key = create(null, "events:read").getString("key");
    BridgeClient socket = BridgeClient.listening(client, node.bridgePort, key, codelabId,
      Address.FACILITATOR_EVENTS.of(codelabId), Address.PUBLIC_EVENTS.of(codelabId));
    Checkpoint received = test.checkpoint();
    Checkpoint commandDenied = test.checkpoint();
    socket.next(event("announcement.posted")).onComplete(test.succeeding(frame -> received.flag()));
    socket.request(Address.ANNOUNCEMENT_POST.address, announcement(codelabId))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("type")).isEqualTo("err");
        assertThat(reply.getInteger("failureCode")).isEqualTo(403);
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        commandDenied.flag();
      })));
    assertThat(http.post("/api/codelabs/" + codelabId + "/announcements", admin, new JsonObject().put("text", "Hi"))
      .status()).isEqualTo(201);
  }

  @Test
  @DisplayName("commands:write sends facilitator commands, and may neither register to streams nor replay them")
  void commandsWrite(VertxTestContext test) {
    String key = create(null, "commands:write").getString("key");
    BridgeClient socket = connect(key);
    Checkpoint sent = test.checkpoint();
    Checkpoint registerDenied = test.checkpoint();
    Checkpoint replayDenied = test.checkpoint();
    socket.request(Address.ANNOUNCEMENT_POST.address, announcement(codelabId))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("type")).isEqualTo("rec");
        assertThat(reply.getJsonObject("body").getLong("seq")).isPositive();
        sent.flag();
      })));
    socket.register(Address.FACILITATOR_EVENTS.of(codelabId));
    socket.next(error("access_denied")).onComplete(test.succeeding(frame -> test.verify(() -> {
      assertThat(frame.getString("address")).isEqualTo(Address.FACILITATOR_EVENTS.of(codelabId));
      registerDenied.flag();
    })));
    socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        replayDenied.flag();
      })));
  }

  @Test
  @DisplayName("results:read opens nothing on the bridge")
  void resultsReadOnly(VertxTestContext test) {
    String key = create(null, "results:read").getString("key");
    BridgeClient socket = connect(key);
    Checkpoint registerDenied = test.checkpoint();
    Checkpoint commandDenied = test.checkpoint();
    socket.register(Address.PUBLIC_EVENTS.of(codelabId));
    socket.next(error("access_denied")).onComplete(test.succeeding(frame -> registerDenied.flag()));
    socket.request(Address.ANNOUNCEMENT_POST.address, announcement(codelabId))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        commandDenied.flag();
      })));
  }

  @Test
  @DisplayName("a key of one codelab may neither register to another's streams nor send commands to it")
  void codelabLimit(VertxTestContext test) {
    String other = codelab(admin);
    String key = create(codelabId, "events:read", "commands:write").getString("key");
    BridgeClient socket = connect(key);
    Checkpoint registerDenied = test.checkpoint();
    Checkpoint commandDenied = test.checkpoint();
    Checkpoint ownAllowed = test.checkpoint();
    socket.register(Address.FACILITATOR_EVENTS.of(other));
    socket.next(error("access_denied")).onComplete(test.succeeding(frame -> test.verify(() -> {
      assertThat(frame.getString("address")).isEqualTo(Address.FACILITATOR_EVENTS.of(other));
      registerDenied.flag();
    })));
    socket.request(Address.ANNOUNCEMENT_POST.address, announcement(other))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        commandDenied.flag();
      })));
    socket.request(Address.ANNOUNCEMENT_POST.address, announcement(codelabId))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("type")).isEqualTo("rec");
        ownAllowed.flag();
      })));
  }

  @ParameterizedTest
  @EnumSource(BridgeClient.Transport.class)
  @DisplayName("revoking a key closes its open connection at once, after telling it why, and refuses its next handshake")
  void revokedKeyClosesConnection(BridgeClient.Transport transport, Vertx vertx, VertxTestContext test) {
    JsonObject created = create(codelabId, "events:read");
    String key = created.getString("key");
    clients = BridgeClient.Clients.of(vertx);
    BridgeClient connection = clients.listening(transport, node, key, codelabId, Address.PUBLIC_EVENTS.of(codelabId));
    EndedConnection.toldClosedAndRefused(test, connection, () -> clients.connect(transport, node, key));
    assertThat(http.delete("/api/keys/" + created.getString("id"), admin).status()).isEqualTo(204);
  }
}

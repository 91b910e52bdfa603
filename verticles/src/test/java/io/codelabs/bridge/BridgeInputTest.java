package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Whatever a socket sends to an address it may use, the answer is a coded client error, never a server one. */
@DisplayName("Bridge input validation")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeInputTest extends NodeTestBase {
  private static final List<Object> MALFORMED = List.of("abc", "12", 12345, -1, 1.5, true,
    new BigInteger("1" + "0".repeat(30)), new BigInteger("-1" + "0".repeat(30)), Long.MAX_VALUE,
    new JsonArray().add(1), new JsonObject().put("nested", new JsonObject().put("deeper", 1)), "x".repeat(12_000),
    "\u0000\u202e", "");

  private Sockets client;
  private String codelabId;

  /** A rate limit high enough that every malformed frame reaches the checks instead of the limiter. */
  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir, new JsonObject()
      .put(BridgeVerticle.RATE, 100_000.0).put(BridgeVerticle.BURST, 100_000.0));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    client = BridgeClient.client(vertx);
    codelabId = codelab(admin);
  }

  @Test
  @DisplayName("a replay with a non-numeric after fails with the invalid-input code")
  void replayWithTextAfter() {
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, attendee(codelabId, "neo")).await();
    JsonObject reply = socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("after", "abc")).await();
    assertThat(reply.getString("type")).isEqualTo("err");
    assertThat(reply.getInteger("failureCode")).isEqualTo(ErrorCode.INVALID.code);
    assertThat(reply.getString("message")).contains("after");
  }

  @Test
  @DisplayName("a chat text longer than the contract allows fails with the invalid-input code, as over REST")
  void overlongChatText() {
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, admin).await();
    JsonObject reply = socket.request(Address.CHAT_SEND.address, new JsonObject().put("codelabId", codelabId)
      .put("text", "x".repeat(2_001))).await();
    assertThat(reply.getInteger("failureCode")).isEqualTo(ErrorCode.INVALID.code);
    assertThat(http.post("/api/codelabs/" + codelabId + "/chat", admin, new JsonObject().put("text", "x".repeat(2_001)))
      .status()).isEqualTo(ErrorCode.INVALID.code);
  }

  @Test
  @DisplayName("malformed fields to every permitted address, as attendee and facilitator, never fail with a 5xx")
  void malformedVariantsNeverServerErrors() {
    String attendeeToken = attendee(codelabId, "trinity");
    List<String> serverErrors = new ArrayList<>();
    int answered = 0;
    for (Address.Role role : Address.Role.values()) {
      BridgeClient socket = BridgeClient.connect(client, node.bridgePort,
        role == Address.Role.FACILITATOR ? admin : attendeeToken).await();
      for (Address address : Address.values()) {
        if (address.outbound() || !address.users.contains(role)) {
          continue;
        }
        for (JsonObject body : variants(address)) {
          JsonObject reply = socket.request(address.address, body).await();
          answered++;
          if ("err".equals(reply.getString("type")) && reply.getInteger("failureCode", 500) >= 500) {
            serverErrors.add(role + " " + address.address + " " + abbreviated(body) + " -> " + reply.encode());
          }
        }
      }
      socket.close().await();
    }
    assertThat(answered).isGreaterThan(500);
    assertThat(serverErrors).isEmpty();
  }

  /** The catalogue's example with this codelab, then each of its fields (and codelabId) replaced by each malformed value. */
  private List<JsonObject> variants(Address address) {
    JsonObject valid = new JsonObject(address.example);
    valid.remove("actor");
    valid.remove("eventId");
    valid.put("codelabId", codelabId);
    List<String> fields = new ArrayList<>(valid.fieldNames());
    fields.addAll(Arrays.asList("eventId", "actor", "unknown"));
    List<JsonObject> variants = new ArrayList<>();
    variants.add(new JsonObject());
    variants.add(valid.copy());
    for (String field : fields) {
      JsonObject absent = valid.copy();
      absent.remove(field);
      variants.add(absent);
      JsonObject nulled = valid.copy();
      nulled.putNull(field);
      variants.add(nulled);
      for (Object value : MALFORMED) {
        variants.add(valid.copy().put(field, value));
      }
    }
    return variants;
  }

  private static String abbreviated(JsonObject body) {
    String text = body.encode();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}

package io.codelabs.bridge;

import static io.codelabs.BridgeClient.error;
import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.BridgeClient.Transport;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One test per bridge rule, allowed and denied, over real SockJS WebSockets and real TCP bridge sockets alike. */
@DisplayName("Realtime bridge rules")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeRulesTest extends NodeTestBase {
  private static final long QUIET_MS = 300;
  private static final int FRAMES_PER_SOCKET = 15;
  private static final String ACCESS_DENIED = "access_denied";

  private Sockets client;
  private BridgeClient.Clients clients;
  private String codelabA;
  private JsonObject neo;

  @BeforeEach
  void workshop(Vertx vertx) {
    client = BridgeClient.client(vertx);
    clients = BridgeClient.Clients.of(vertx);
    codelabA = codelab(admin);
    neo = http.join(codelabA, "neo", "code-neo");
  }

  private BridgeClient connect(Transport transport, String token) {
    return clients.connect(transport, node, token).await();
  }

  private String neoId() {
    return neo.getJsonObject("attendee").getString("id");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("a socket without a token is refused")
  void unauthenticatedRefused(Transport transport, VertxTestContext test) {
    Checkpoint told = test.checkpoint();
    Checkpoint closed = test.checkpoint();
    BridgeClient anonymous = connect(transport, null);
    anonymous.next(error("not_logged_in")).onComplete(test.succeeding(frame -> told.flag()));
    anonymous.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      if (transport == Transport.SOCKJS) {
        assertThat(status).isEqualTo((short) 4001);
      }
      closed.flag();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("a forged token is refused")
  void forgedTokenRefused(Transport transport, VertxTestContext test) {
    BridgeClient forged = connect(transport, admin.substring(0, admin.length() - 3) + "xyz");
    forged.next(error("not_logged_in")).onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("a page from another site, or from another port of this host, cannot open a socket; the API's own page can")
  void originChecked(VertxTestContext test) {
    Checkpoint foreignClosed = test.checkpoint();
    Checkpoint otherPortClosed = test.checkpoint();
    Checkpoint localWorks = test.checkpoint();
    int highest = Math.max(node.httpPort, node.bridgePort);
    int neitherPort = highest < 65535 ? highest + 1 : Math.min(node.httpPort, node.bridgePort) - 1;
    BridgeClient otherPort = BridgeClient.connect(client, node.bridgePort, null, MultiMap.caseInsensitiveMultiMap()
      .add("Origin", "http://127.0.0.1:" + neitherPort)
      .add("Cookie", "codelabs_att=" + neo.getString("token"))).await();
    otherPort.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      assertThat(status).isEqualTo((short) 4003);
      otherPortClosed.flag();
    })));
    BridgeClient foreign = BridgeClient.connect(client, node.bridgePort, neo.getString("token"),
      MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.example")).await();
    foreign.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      assertThat(status).isEqualTo((short) 4003);
      foreignClosed.flag();
    })));
    BridgeClient local = BridgeClient.connect(client, node.bridgePort, neo.getString("token"),
      MultiMap.caseInsensitiveMultiMap().add("Origin", "http://127.0.0.1:" + node.httpPort)).await();
    local.request(Address.CHAT_SEND.address, new JsonObject().put("text", "hello"))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("type")).isEqualTo("rec");
        localWorks.flag();
      })));
  }

  @Test
  @DisplayName("the attendee cookie authenticates a browser socket")
  void cookieAuthenticates(VertxTestContext test) {
    BridgeClient browser = BridgeClient.connect(client, node.bridgePort, null,
      MultiMap.caseInsensitiveMultiMap().add("Cookie", "codelabs_att=" + neo.getString("token"))).await();
    browser.request(Address.CHAT_SEND.address, new JsonObject().put("text", "from a browser"))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getJsonObject("body").getJsonObject("message").getString("senderName")).isEqualTo("neo");
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("a browser holding both cookies is the facilitator, or the attendee with ?as=attendee")
  void bothCookies(VertxTestContext test) {
    MultiMap cookies = MultiMap.caseInsensitiveMultiMap()
      .add("Cookie", "codelabs_fac=" + admin + "; codelabs_att=" + neo.getString("token"));
    JsonObject chat = new JsonObject().put("codelabId", codelabA).put("text", "who am I?");
    BridgeClient asFacilitator = BridgeClient.connect(client, node.bridgePort, null, cookies).await();
    BridgeClient asAttendee = BridgeClient.connect(client, node.bridgePort, "/eventbus/websocket?as=attendee", null,
      cookies).await();
    assertThat(asFacilitator.request(Address.CHAT_SEND.address, chat).await().getJsonObject("body")
      .getJsonObject("message").getString("senderRole")).isEqualTo("facilitator");
    assertThat(asAttendee.request(Address.CHAT_SEND.address, chat).await().getJsonObject("body")
      .getJsonObject("message").getString("senderName")).isEqualTo("neo");
    test.completeNow();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("every catalogue address: a role may send and register exactly where the catalogue's users say")
  void catalogueMatrix(Transport transport) {
    for (Address.Role role : Address.Role.values()) {
      String token = role == Address.Role.FACILITATOR ? admin : neo.getString("token");
      List<Address> addresses = Arrays.asList(Address.values());
      // A fresh socket per slice of the catalogue keeps each one inside its rate limit.
      for (int from = 0; from < addresses.size(); from += FRAMES_PER_SOCKET) {
        BridgeClient socket = connect(transport, token);
        for (Address address : addresses.subList(from, Math.min(from + FRAMES_PER_SOCKET, addresses.size()))) {
          boolean allowed = address.users.contains(role);
          if (address.outbound()) {
            String own = address.address.contains("{attendeeId}") ? address.of(codelabA, neoId()) : address.of(codelabA);
            socket.register(own);
            socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabA).put("after", 0))
              .await();
            assertThat(socket.unmatched()).as("%s registers %s", role, address)
              .filteredOn(frame -> own.equals(frame.getString("address")) && "err".equals(frame.getString("type")))
              .hasSize(allowed ? 0 : 1);
          } else {
            JsonObject reply = socket.request(address.address, new JsonObject().put("codelabId", codelabA)).await();
            assertThat(ACCESS_DENIED.equals(reply.getString("body"))).as("%s sends to %s: %s", role, address, reply)
              .isEqualTo(!allowed);
          }
        }
        socket.close().await();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("an attendee receives its own codelab's public stream")
  void attendeeReceivesOwnPublicStream(Transport transport, VertxTestContext test) {
    BridgeClient socket = connect(transport, neo.getString("token"));
    socket.register(Address.PUBLIC_EVENTS.of(codelabA));
    socket.request(Address.CHAT_SEND.address, new JsonObject().put("text", "hi all")).await();
    socket.next(event("chat.posted")).onComplete(test.succeeding(frame -> test.verify(() -> {
      assertThat(frame.getString("address")).isEqualTo(Address.PUBLIC_EVENTS.of(codelabA));
      assertThat(frame.getJsonObject("body").getJsonObject("data").getJsonObject("message").getString("text"))
        .isEqualTo("hi all");
      test.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("an attendee of codelab A may not register to codelab B's public stream")
  void attendeeDeniedOtherCodelab(Transport transport, VertxTestContext test) {
    String codelabB = codelab(admin);
    BridgeClient socket = connect(transport, neo.getString("token"));
    socket.register(Address.PUBLIC_EVENTS.of(codelabB));
    socket.next(error("access_denied")).onComplete(test.succeeding(frame -> test.verify(() -> {
      assertThat(frame.getString("address")).isEqualTo(Address.PUBLIC_EVENTS.of(codelabB));
      test.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("an attendee may not register to the facilitator stream")
  void attendeeDeniedFacilitatorStream(Transport transport, VertxTestContext test) {
    BridgeClient socket = connect(transport, neo.getString("token"));
    socket.register(Address.FACILITATOR_EVENTS.of(codelabA));
    socket.next(error("access_denied")).onComplete(test.succeedingThenComplete());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("an attendee may register to its own inbox but not to another attendee's")
  void inboxOnlyOwn(Transport transport, VertxTestContext test) {
    JsonObject trinity = http.join(codelabA, "trinity", "code-trinity");
    BridgeClient socket = connect(transport, neo.getString("token"));
    Checkpoint denied = test.checkpoint();
    Checkpoint ownDelivered = test.checkpoint();
    socket.register(Address.INBOX_EVENTS.of(codelabA, trinity.getJsonObject("attendee").getString("id")));
    socket.next(error("access_denied")).onComplete(test.succeeding(frame -> denied.flag()));
    socket.register(Address.INBOX_EVENTS.of(codelabA, neoId()));
    socket.request(Address.CHAT_SEND.address, new JsonObject().put("text", "psst").put("direct", true)).await();
    socket.next(event("chat.posted")).onComplete(test.succeeding(frame -> test.verify(() -> {
      assertThat(frame.getString("address")).isEqualTo(Address.INBOX_EVENTS.of(codelabA, neoId()));
      ownDelivered.flag();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("a facilitator receives the facilitator stream of its codelabs only")
  void facilitatorStreamForMembersOnly(Transport transport, VertxTestContext test) {
    String stranger = newFacilitator(unique("stranger"));
    BridgeClient outsider = connect(transport, stranger);
    Checkpoint strangerDenied = test.checkpoint();
    Checkpoint ownerReceives = test.checkpoint();
    outsider.register(Address.FACILITATOR_EVENTS.of(codelabA));
    outsider.next(error("access_denied")).onComplete(test.succeeding(frame -> strangerDenied.flag()));

    BridgeClient owner = connect(transport, admin);
    owner.register(Address.FACILITATOR_EVENTS.of(codelabA));
    owner.request(Address.ANNOUNCEMENT_POST.address, new JsonObject().put("codelabId", codelabA).put("text", "sync"))
      .await();
    http.post("/api/codelabs/" + codelabA + "/progress", neo.getString("token"), new JsonObject().put("step", 1));
    owner.next(event("attendee.step-changed")).onComplete(test.succeeding(frame -> ownerReceives.flag()));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("browsers never publish")
  void publishDenied(Transport transport, VertxTestContext test) {
    BridgeClient socket = connect(transport, admin);
    socket.publish(Address.PUBLIC_EVENTS.of(codelabA), new JsonObject().put("type", "chat.posted"));
    socket.next(error("access_denied")).onComplete(test.succeedingThenComplete());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("sends go only to exact inbound addresses the role may use")
  void sendOnlyToInboundAddresses(Transport transport, VertxTestContext test) {
    BridgeClient attendee = connect(transport, neo.getString("token"));
    Checkpoint internal = test.checkpoint();
    Checkpoint facilitatorOnly = test.checkpoint();
    Checkpoint unknown = test.checkpoint();
    attendee.request(Address.CODELAB_DELETE.address, new JsonObject().put("codelabId", codelabA))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        assertThat(reply.getInteger("failureCode")).isEqualTo(403);
        internal.flag();
      })));
    attendee.request(Address.HELP_RESOLVE.address, new JsonObject().put("helpId", "h1"))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        facilitatorOnly.flag();
      })));
    attendee.request(Address.CHAT_SEND.address + ".x", new JsonObject().put("text", "x"))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("body")).isEqualTo("access_denied");
        unknown.flag();
      })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("a probe is answered by the bridge itself with an empty body, for attendees and facilitators, never on the bus")
  void probeAnsweredByTheBridge(Transport transport, VertxTestContext test) {
    Checkpoint attendee = test.checkpoint();
    Checkpoint facilitator = test.checkpoint();
    MessageConsumer<Object> onTheBus = node.vertx.eventBus().consumer(Address.BRIDGE_PING.address,
      message -> test.failNow("a probe went on the bus"));
    for (Map.Entry<String, Checkpoint> asked : List.of(Map.entry(neo.getString("token"), attendee),
      Map.entry(admin, facilitator))) {
      JsonObject reply = connect(transport, asked.getKey()).request(Address.BRIDGE_PING.address, new JsonObject()).await();
      test.verify(() -> {
        assertThat(reply.getValue("failureCode")).as("%s", reply).isNull();
        assertThat(reply.getJsonObject("body")).isEqualTo(new JsonObject());
      });
      asked.getValue().flag();
    }
    onTheBus.unregister().await();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("the sender's identity and codelab come from the token, whatever the body claims")
  void spoofedSenderIgnored(Transport transport, VertxTestContext test) {
    String codelabB = codelab(admin);
    BridgeClient socket = connect(transport, neo.getString("token"));
    JsonObject forged = new JsonObject().put("text", "I am the admin").put("codelabId", codelabB)
      .put("actor", new JsonObject().put("role", "FACILITATOR").put("id", "admin-id").put("name", "Admin"));
    JsonObject message = socket.request(Address.CHAT_SEND.address, forged).await()
      .getJsonObject("body").getJsonObject("message");
    assertThat(message.getString("codelabId")).isEqualTo(codelabA);
    assertThat(message.getString("senderId")).isEqualTo(neoId());
    assertThat(message.getString("senderRole")).isEqualTo("attendee");
    assertThat(http.get("/api/codelabs/" + codelabB + "/chat", admin).json().getJsonArray("messages")).isEmpty();
    test.completeNow();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("a failed command answers its reply address with the catalogued code")
  void failuresCarryCodes(Transport transport, VertxTestContext test) {
    BridgeClient socket = connect(transport, neo.getString("token"));
    socket.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 99))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.getString("type")).isEqualTo("err");
        assertThat(reply.getInteger("failureCode")).isEqualTo(400);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("an oversized frame is refused: the socket is closed")
  void oversizeRefused(VertxTestContext test) {
    BridgeClient socket = connect(Transport.SOCKJS, neo.getString("token"));
    socket.request(Address.CHAT_SEND.address, new JsonObject().put("text", "x".repeat(40_000)));
    socket.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      assertThat(status).isIn((short) 1006, (short) 1009);
      test.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("a socket sending too fast is throttled and told so")
  void tooFastThrottled(Transport transport, VertxTestContext test) {
    BridgeClient socket = connect(transport, neo.getString("token"));
    for (int i = 0; i < 60; i++) {
      socket.register(Address.PUBLIC_EVENTS.of(codelabA));
    }
    socket.next(error("rate_limited")).onComplete(test.succeeding(frame -> test.verify(() -> {
      assertThat(frame.getInteger("failureCode")).isEqualTo(429);
      test.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("an unknown frame type, broken JSON or an address that is no address is an error, not a stall")
  void invalidFrames(Transport transport, VertxTestContext test) {
    BridgeClient socket = connect(transport, neo.getString("token"));
    Checkpoint badJson = test.checkpoint();
    Checkpoint badType = test.checkpoint();
    Checkpoint badFields = test.checkpoint();
    Checkpoint stillServing = test.checkpoint();
    socket.writeRaw("{not json");
    socket.next(error("invalid_json")).onComplete(test.succeeding(frame -> badJson.flag()));
    socket.write(new JsonObject().put("type", "subscribe").put("address", "x"));
    socket.next(error("invalid_type")).onComplete(test.succeeding(frame -> badType.flag()));
    socket.write(new JsonObject().put("type", "send").put("address", new JsonObject().put("not", "a string")));
    socket.next(error("access_denied")).onComplete(test.succeeding(frame -> badFields.flag()));
    socket.request(Address.CHAT_SEND.address, new JsonObject().put("text", "still here"))
      .onComplete(test.succeeding(reply -> stillServing.flag()));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  @DisplayName("events of one attendee's inbox never reach another attendee")
  void inboxEventsStayPrivate(Transport transport, Vertx vertx, VertxTestContext test) {
    JsonObject trinity = http.join(codelabA, "trinity", "code-trinity");
    BridgeClient trinitySocket = connect(transport, trinity.getString("token"));
    trinitySocket.register(Address.PUBLIC_EVENTS.of(codelabA));
    trinitySocket.register(Address.INBOX_EVENTS.of(codelabA, trinity.getJsonObject("attendee").getString("id")));
    trinitySocket.request(Address.CHAT_SEND.address, new JsonObject().put("text", "ready")).await();
    http.post("/api/codelabs/" + codelabA + "/chat", admin, new JsonObject().put("text", "secret hint")
      .put("direct", true).put("attendeeId", neoId()));
    http.post("/api/codelabs/" + codelabA + "/help", neo.getString("token"), new JsonObject());
    vertx.setTimer(QUIET_MS, id -> test.verify(() -> {
      assertThat(trinitySocket.unmatched()).noneMatch(frame -> frame.encode().contains("secret hint"))
        .noneMatch(event("help.requested"));
      test.completeNow();
    }));
  }
}

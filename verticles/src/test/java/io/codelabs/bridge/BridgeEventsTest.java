package io.codelabs.bridge;

import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.codelabs.bus.EventType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Command in, persisted, event out to exactly the right sockets; replay after a reconnect. */
@DisplayName("Realtime events end to end")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeEventsTest extends NodeTestBase {
  private Sockets client;
  private String codelabId;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = BridgeClient.client(vertx);
    codelabId = codelab(admin);
  }

  private BridgeClient facilitator() {
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, admin).await();
    socket.register(Address.PUBLIC_EVENTS.of(codelabId));
    socket.register(Address.FACILITATOR_EVENTS.of(codelabId));
    synced(socket);
    return socket;
  }

  private BridgeClient attendee(JsonObject joined) {
    BridgeClient socket = BridgeClient.connect(client, node.bridgePort, joined.getString("token")).await();
    socket.register(Address.PUBLIC_EVENTS.of(codelabId));
    socket.register(Address.INBOX_EVENTS.of(codelabId, joined.getJsonObject("attendee").getString("id")));
    synced(socket);
    return socket;
  }

  /** Frames of one socket are handled in order: once this answers, its registrations are in place. */
  private JsonObject synced(BridgeClient socket) {
    return socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0))
      .await().getJsonObject("body");
  }

  private static List<JsonObject> events(BridgeClient socket) {
    return socket.unmatched().stream().filter(f -> "rec".equals(f.getString("type")))
      .map(f -> f.getJsonObject("body")).sorted(Comparator.comparing(e -> e.getLong("seq"))).toList();
  }

  private static List<String> types(BridgeClient socket) {
    return events(socket).stream().map(e -> e.getString("type")).toList();
  }

  @Test
  @DisplayName("each event type reaches exactly the sockets that may see it")
  void everyEventToTheRightSockets() {
    BridgeClient facilitator = facilitator();
    JsonObject neoJoin = http.join(codelabId, "neo", "code-neo");
    JsonObject trinityJoin = http.join(codelabId, "trinity", "code-trinity");
    String neoId = neoJoin.getJsonObject("attendee").getString("id");
    BridgeClient neo = attendee(neoJoin);
    BridgeClient trinity = attendee(trinityJoin);
    long firstOnline = facilitator.next(event("attendee.online")).await().getJsonObject("body").getLong("seq");
    long secondOnline = facilitator.next(event("attendee.online")).await().getJsonObject("body").getLong("seq");

    neo.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 0).put("completed", true)).await();
    neo.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 1)).await();
    String helpId = neo.request(Address.HELP_REQUEST.address, new JsonObject().put("message", "stuck"))
      .await().getJsonObject("body").getJsonObject("help").getString("id");
    facilitator.request(Address.HELP_CLAIM.address, new JsonObject().put("codelabId", codelabId).put("helpId", helpId))
      .await();
    facilitator.request(Address.HELP_RESOLVE.address, new JsonObject().put("codelabId", codelabId).put("helpId", helpId))
      .await();
    trinity.request(Address.CHAT_SEND.address, new JsonObject().put("text", "hello room")).await();
    facilitator.request(Address.CHAT_SEND.address, new JsonObject().put("codelabId", codelabId)
      .put("text", "a hint for neo").put("direct", true).put("attendeeId", neoId)).await();
    String announcementId = facilitator.request(Address.ANNOUNCEMENT_POST.address, new JsonObject()
        .put("codelabId", codelabId).put("text", "Lunch").put("pinned", true))
      .await().getJsonObject("body").getJsonObject("announcement").getString("id");
    facilitator.request(Address.ANNOUNCEMENT_PIN.address, new JsonObject().put("codelabId", codelabId)
      .put("announcementId", announcementId).put("pinned", false)).await();
    http.put("/api/codelabs/" + codelabId + "/steps/1", admin, new JsonObject().put("title", "Build v2")
      .put("markdown", "new text"));
    for (BridgeClient socket : List.of(facilitator, neo, trinity)) {
      socket.next(event("codelab.updated")).await();
    }

    assertThat(types(facilitator)).containsExactly("attendee.joined", "attendee.joined",
      "attendee.step-completed", "attendee.step-changed",
      "help.requested", "help.claimed", "help.resolved", "chat.posted", "chat.posted", "announcement.posted",
      "announcement.unpinned");
    assertThat(types(neo)).containsExactly("help.requested", "help.claimed", "help.resolved", "chat.posted",
      "chat.posted", "announcement.posted", "announcement.unpinned");
    assertThat(types(trinity)).containsExactly("chat.posted", "announcement.posted", "announcement.unpinned");
    assertThat(events(trinity)).noneMatch(e -> e.encode().contains("a hint for neo"));
    assertThat(events(neo).get(2).getJsonObject("data").getJsonObject("help").getString("status"))
      .isEqualTo("resolved");

    List<Long> seen = Stream.concat(Stream.of(firstOnline, secondOnline), events(facilitator).stream()
      .map(e -> e.getLong("seq"))).sorted().toList();
    assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(seen.get(0), seen.get(seen.size() - 1))
      .boxed().toList());
    assertThat(events(trinity).stream().map(e -> e.getLong("streamSeq")).toList())
      .isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
    Stream.of(facilitator, neo, trinity).flatMap(socket -> events(socket).stream()).forEach(BridgeEventsTest::catalogued);
  }

  /** The event's type is in the catalogue, sent on a stream the catalogue allows, with data its schema accepts. */
  private static void catalogued(JsonObject event) {
    EventType type = Arrays.stream(EventType.values()).filter(t -> t.type.equals(event.getString("type"))).findFirst()
      .orElseThrow(() -> new AssertionError("Not in the catalogue: " + event.encode()));
    assertThat(type.streams).contains(EventType.Stream.of(event.getString("stream")));
    OutputUnit result = Validator.create(JsonSchema.of(type.schema),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app:///")).validate(event.getJsonObject("data"));
    assertThat(result.getValid()).as("%s against its schema: %s", event.encode(), result.getErrors()).isTrue();
  }

  @Test
  @DisplayName("after a dropped socket the attendee replays exactly what it missed, in order, nothing twice")
  void replayAfterReconnect() {
    JsonObject neoJoin = http.join(codelabId, "neo", "code-neo");
    String neoId = neoJoin.getJsonObject("attendee").getString("id");
    String trinity = http.join(codelabId, "trinity", "code-trinity").getString("token");
    BridgeClient first = attendee(neoJoin);
    http.post("/api/codelabs/" + codelabId + "/chat", trinity, new JsonObject().put("text", "before"));
    JsonObject before = first.next(event("chat.posted")).await().getJsonObject("body");
    long lastSeq = before.getLong("seq");
    first.close().await();

    http.post("/api/codelabs/" + codelabId + "/chat", trinity, new JsonObject().put("text", "missed 1"));
    http.post("/api/codelabs/" + codelabId + "/progress", trinity, new JsonObject().put("step", 2));
    http.post("/api/codelabs/" + codelabId + "/chat", admin, new JsonObject().put("text", "missed DM")
      .put("direct", true).put("attendeeId", neoId));
    http.post("/api/codelabs/" + codelabId + "/announcements", admin, new JsonObject().put("text", "missed 2"));

    BridgeClient again = attendee(neoJoin);
    http.post("/api/codelabs/" + codelabId + "/chat", trinity, new JsonObject().put("text", "live again"));
    JsonObject live = again.next(event("chat.posted")).await().getJsonObject("body");
    JsonObject replay = again.request(Address.EVENTS_SINCE.address, new JsonObject().put("after", lastSeq)
      .put("epoch", before.getString("epoch"))).await().getJsonObject("body");

    assertThat(replay.getBoolean("reset")).isFalse();
    List<JsonObject> missed = replay.getJsonArray("events").stream().map(JsonObject.class::cast)
      .filter(e -> e.getLong("seq") < live.getLong("seq")).toList();
    assertThat(missed.stream().map(e -> e.getString("type")))
      .containsExactly("chat.posted", "chat.posted", "announcement.posted");
    assertThat(missed.stream().map(ReplayText::of)).containsExactly("missed 1", "missed DM", "missed 2");
    assertThat(missed.stream().map(e -> e.getLong("seq")).toList())
      .isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates().allMatch(seq -> seq > lastSeq);
    assertThat(replay.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")))
      .doesNotContain("attendee.step-changed");
  }

  @Test
  @DisplayName("a client from another database epoch is told to reload")
  void resetOnEpochChange() {
    BridgeClient socket = attendee(http.join(codelabId, "neo", "code-neo"));
    JsonObject replay = socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("after", 1)
      .put("epoch", "an-old-epoch")).await().getJsonObject("body");
    assertThat(replay.getBoolean("reset")).isTrue();
    assertThat(replay.getJsonArray("events")).isEqualTo(new JsonArray());
  }

  @Test
  @DisplayName("presence: online with the first socket, offline when the last one closes")
  void presence() {
    BridgeClient facilitator = facilitator();
    JsonObject neoJoin = http.join(codelabId, "neo", "code-neo");
    BridgeClient tab1 = attendee(neoJoin);
    BridgeClient tab2 = attendee(neoJoin);
    JsonObject online = facilitator.next(event("attendee.online")).await().getJsonObject("body");
    assertThat(online.getJsonObject("data").getString("nickname")).isEqualTo("neo");
    tab1.close().await();
    tab2.close().await();
    facilitator.next(event("attendee.offline")).await();
    assertThat(types(facilitator)).doesNotContain("attendee.online", "attendee.offline");
  }

  @Test
  @DisplayName("the dashboard stream shows each attendee's step, time on it, presence and help")
  void dashboard() {
    JsonObject neoJoin = http.join(codelabId, "neo", "code-neo");
    BridgeClient neo = attendee(neoJoin);
    neo.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 2)).await();
    neo.request(Address.HELP_REQUEST.address, new JsonObject()).await();
    BridgeClient facilitator = BridgeClient.connect(client, node.bridgePort, admin).await();
    facilitator.register(Address.DASHBOARD_EVENTS.of(codelabId));
    JsonObject snapshot = facilitator.next(frame -> Address.DASHBOARD_EVENTS.of(codelabId)
      .equals(frame.getString("address"))).await().getJsonObject("body");
    JsonObject row = snapshot.getJsonArray("attendees").getJsonObject(0);
    assertThat(row.getString("nickname")).isEqualTo("neo");
    assertThat(row.getInteger("currentStep")).isEqualTo(2);
    assertThat(row.getBoolean("online")).isTrue();
    assertThat(row.getString("help")).isEqualTo("open");
    assertThat(row.getBoolean("stuck")).isFalse();
    assertThat(snapshot.getJsonArray("steps").getJsonObject(2).getInteger("current")).isEqualTo(1);

    BridgeClient attendeeTries = BridgeClient.connect(client, node.bridgePort, neoJoin.getString("token")).await();
    attendeeTries.register(Address.DASHBOARD_EVENTS.of(codelabId));
    assertThat(attendeeTries.next(BridgeClient.error("access_denied")).await().getString("address"))
      .isEqualTo(Address.DASHBOARD_EVENTS.of(codelabId));
  }

  @Test
  @DisplayName("the dashboard stream is node-local: nothing published on the bus at its address reaches a socket")
  void dashboardIsNodeLocal() {
    String dashboard = Address.DASHBOARD_EVENTS.of(codelabId);
    BridgeClient facilitator = facilitator();
    facilitator.register(dashboard);
    facilitator.next(frame -> dashboard.equals(frame.getString("address"))).await();

    node.vertx.eventBus().publish(dashboard, new JsonObject().put("forged", true));
    // Published after it from the same thread to a consumer on the same bridge context, so it arrives after it.
    node.vertx.eventBus().publish(Address.FACILITATOR_EVENTS.of(codelabId), new JsonObject().put("marker", true));
    facilitator.next(frame -> frame.getValue("body") instanceof JsonObject body && body.containsKey("marker")).await();

    assertThat(facilitator.unmatched())
      .noneMatch(frame -> frame.getValue("body") instanceof JsonObject body && body.containsKey("forged"));
  }

  /** The visible text of a chat or announcement event. */
  private static final class ReplayText {
    static String of(JsonObject event) {
      JsonObject data = event.getJsonObject("data");
      return data.containsKey("message") ? data.getJsonObject("message").getString("text")
        : data.getJsonObject("announcement").getString("text");
    }
  }
}

package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Attendees, progress, help, chat, announcements and the event log")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkshopApiTest extends NodeTestBase {

  @Test
  @DisplayName("join, then rejoin with the same code resumes; another code for the nickname is 409")
  void joinAndResume() {
    String id = codelab(admin);
    Response joined = http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject()
      .put("nickname", "Neo").put("personalCode", "red-pill"));
    assertThat(joined.status()).isEqualTo(201);
    assertThat(joined.header("set-cookie")).contains("codelabs_att=").contains("HTTPOnly");
    String token = http.join(id, "Neo", "red-pill").getString("token");
    http.post("/api/codelabs/" + id + "/progress", token, new JsonObject().put("step", 2));

    Response resumed = http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject()
      .put("nickname", "neo").put("personalCode", "red-pill"));
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().getJsonObject("attendee").getBoolean("resumed")).isTrue();
    assertThat(resumed.json().getJsonObject("attendee").getString("id"))
      .isEqualTo(joined.json().getJsonObject("attendee").getString("id"));
    assertThat(resumed.json().getJsonObject("attendee").getInteger("currentStep")).isEqualTo(2);

    Response taken = http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject()
      .put("nickname", "NEO").put("personalCode", "blue-pill"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(http.post("/api/codelabs/missing/attendees", null, new JsonObject()
      .put("nickname", "x").put("personalCode", "x-secret-code")).status()).isEqualTo(404);
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject()
      .put("nickname", "").put("personalCode", "x-secret-code")).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("private codelabs need the join code, closed ones take no new attendees but let old ones back")
  void privateAndClosed() {
    String id = http.createCodelab(admin, new JsonObject().put("title", unique("Private "))
      .put("visibility", "private").put("joinCode", "open-sesame"));
    JsonObject body = new JsonObject().put("nickname", "ali").put("personalCode", "ali-secret");
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, body).status()).isEqualTo(403);
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, body.copy().put("joinCode", "wrong")).status())
      .isEqualTo(403);
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, body.copy().put("joinCode", "open-sesame"))
      .status()).isEqualTo(201);
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, body).status())
      .as("resuming without the join code").isEqualTo(403);

    http.patch("/api/codelabs/" + id, admin, new JsonObject().put("joinsClosed", true));
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject().put("nickname", "late")
      .put("personalCode", "late-secret").put("joinCode", "open-sesame")).status()).isEqualTo(403);
    assertThat(http.post("/api/codelabs/" + id + "/attendees", null, body.copy().put("joinCode", "open-sesame"))
      .status()).isEqualTo(200);
  }

  @Test
  @DisplayName("progress is saved and seen by facilitators; bad steps 400, strangers 401/403")
  void progress() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    Response moved = http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject()
      .put("eventId", "progress-1").put("step", 1).put("completed", true));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().getInteger("currentStep")).isEqualTo(1);
    assertThat(moved.json().getJsonArray("completedSteps")).containsExactly(1);

    JsonObject row = http.get("/api/codelabs/" + id + "/attendees", admin).json().getJsonArray("attendees")
      .getJsonObject(0);
    assertThat(row.getString("nickname")).isEqualTo("neo");
    assertThat(row.getInteger("currentStep")).isEqualTo(1);
    assertThat(row.getJsonArray("completedSteps")).containsExactly(1);

    JsonArray seenByAttendee = http.get("/api/codelabs/" + id + "/attendees", neo).json().getJsonArray("attendees");
    assertThat(seenByAttendee.getJsonObject(0).fieldNames()).containsExactly("nickname");

    assertThat(http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject().put("step", 3)).status())
      .isEqualTo(400);
    assertThat(http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject().put("step", "two")).status())
      .isEqualTo(400);
    assertThat(http.post("/api/codelabs/" + id + "/progress", null, new JsonObject().put("step", 1)).status())
      .isEqualTo(401);
    assertThat(http.post("/api/codelabs/" + id + "/progress", admin, new JsonObject().put("step", 1)).status())
      .isEqualTo(403);
    String outsider = attendee(codelab(admin), "outsider");
    assertThat(http.post("/api/codelabs/" + id + "/progress", outsider, new JsonObject().put("step", 1)).status())
      .isEqualTo(403);
    assertThat(http.get("/api/codelabs/" + id + "/attendees", outsider).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("a retried command with the same eventId is applied once; someone else's key is 409")
  void idempotentRetry() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    JsonObject chat = new JsonObject().put("eventId", "chat-key-0001").put("text", "hello");
    Response first = http.post("/api/codelabs/" + id + "/chat", neo, chat);
    Response retry = http.post("/api/codelabs/" + id + "/chat", neo, chat);
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().getBoolean("duplicate")).isTrue();
    assertThat(retry.json().getLong("seq")).isEqualTo(first.json().getLong("seq"));
    assertThat(retry.json().getJsonObject("message")).isEqualTo(first.json().getJsonObject("message"));
    assertThat(http.get("/api/codelabs/" + id + "/chat", admin).json().getJsonArray("messages")).hasSize(1);

    String trinity = attendee(id, "trinity");
    assertThat(http.post("/api/codelabs/" + id + "/chat", trinity, chat).status()).isEqualTo(409);
    assertThat(http.post("/api/codelabs/" + id + "/chat", neo, chat.copy().put("eventId", "bad key!")).status())
      .isEqualTo(400);
  }

  @Test
  @DisplayName("an eventId a facilitator used in one codelab is 409 in another, never another event's answer")
  void eventIdReusedInAnotherCodelab() {
    String first = codelab(admin);
    String second = codelab(admin);
    JsonObject announcement = new JsonObject().put("eventId", "shared-key-001").put("text", "Lunch");
    assertThat(http.post("/api/codelabs/" + first + "/announcements", admin, announcement).status()).isEqualTo(201);
    Response elsewhere = http.post("/api/codelabs/" + second + "/chat", admin, new JsonObject()
      .put("eventId", "shared-key-001").put("text", "hello"));
    assertThat(elsewhere.status()).isEqualTo(409);
    assertThat(http.get("/api/codelabs/" + second + "/chat", admin).json().getJsonArray("messages")).isEmpty();
  }

  @Test
  @DisplayName("a retried help request answers the request it made, even after a newer one")
  void helpRetryAnswersItsOwnRequest() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    JsonObject first = http.post("/api/codelabs/" + id + "/help", neo, new JsonObject().put("eventId", "help-first"))
      .json().getJsonObject("help");
    http.post("/api/codelabs/" + id + "/help/" + first.getString("id") + "/resolve", admin, null);
    http.post("/api/codelabs/" + id + "/help", neo, new JsonObject().put("eventId", "help-second"));
    Response retry = http.post("/api/codelabs/" + id + "/help", neo, new JsonObject().put("eventId", "help-first"));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().getBoolean("duplicate")).isTrue();
    assertThat(retry.json().getJsonObject("help").getString("id")).isEqualTo(first.getString("id"));
  }

  @Test
  @DisplayName("help: request, one open at a time, claim, resolve; attendees see only their own")
  void help() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject().put("step", 2));

    Response asked = http.post("/api/codelabs/" + id + "/help", neo, new JsonObject().put("message", "Build fails"));
    assertThat(asked.status()).isEqualTo(201);
    JsonObject help = asked.json().getJsonObject("help");
    assertThat(help.getInteger("step")).isEqualTo(2);
    assertThat(help.getString("status")).isEqualTo("open");
    assertThat(http.post("/api/codelabs/" + id + "/help", neo, new JsonObject()).status()).isEqualTo(409);
    http.post("/api/codelabs/" + id + "/help", trinity, new JsonObject().put("step", 0));

    assertThat(http.get("/api/codelabs/" + id + "/help", admin).json().getJsonArray("help")).hasSize(2);
    JsonArray own = http.get("/api/codelabs/" + id + "/help", neo).json().getJsonArray("help");
    assertThat(own).hasSize(1);
    assertThat(own.getJsonObject(0).getString("nickname")).isEqualTo("neo");

    String base = "/api/codelabs/" + id + "/help/" + help.getString("id");
    assertThat(http.post(base + "/claim", neo, null).status()).isEqualTo(403);
    Response claimed = http.post(base + "/claim", admin, null);
    assertThat(claimed.status()).isEqualTo(200);
    assertThat(claimed.json().getJsonObject("help").getString("status")).isEqualTo("claimed");
    assertThat(claimed.json().getJsonObject("help").getString("claimedByName")).isEqualTo("Administrator");
    String other = newFacilitator(unique("second"));
    assertThat(http.post(base + "/claim", other, null).status()).as("not a member").isEqualTo(403);

    Response resolved = http.post(base + "/resolve", admin, null);
    assertThat(resolved.status()).isEqualTo(200);
    assertThat(resolved.json().getJsonObject("help").getString("status")).isEqualTo("resolved");
    assertThat(http.post(base + "/resolve", admin, null).status()).isEqualTo(409);
    assertThat(http.post("/api/codelabs/" + id + "/help/nope/claim", admin, null).status()).isEqualTo(404);
    assertThat(http.post("/api/codelabs/" + id + "/help", neo, new JsonObject()).status())
      .as("a new request once the last is resolved").isEqualTo(201);
  }

  @Test
  @DisplayName("direct messages reach only their attendee and the facilitators, never another attendee")
  void directMessagesStayPrivate() {
    String id = codelab(admin);
    JsonObject neoJoin = http.join(id, "neo", "code-neo");
    String neo = neoJoin.getString("token");
    String neoId = neoJoin.getJsonObject("attendee").getString("id");
    String trinity = attendee(id, "trinity");

    http.post("/api/codelabs/" + id + "/chat", trinity, new JsonObject().put("text", "Hi everyone"));
    assertThat(http.post("/api/codelabs/" + id + "/chat", neo, new JsonObject().put("text", "I need a hint")
      .put("direct", true)).status()).isEqualTo(201);
    assertThat(http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("text", "Look at step 2")
      .put("direct", true).put("attendeeId", neoId)).status()).isEqualTo(201);
    assertThat(http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("text", "?")
      .put("direct", true).put("attendeeId", "ghost")).status()).isEqualTo(404);

    assertThat(texts(http.get("/api/codelabs/" + id + "/chat", trinity))).containsExactly("Hi everyone");
    assertThat(texts(http.get("/api/codelabs/" + id + "/chat", neo)))
      .containsExactly("Hi everyone", "I need a hint", "Look at step 2");
    assertThat(texts(http.get("/api/codelabs/" + id + "/chat", admin)))
      .containsExactly("Hi everyone", "I need a hint", "Look at step 2");
    assertThat(http.get("/api/codelabs/" + id + "/chat?limit=1", admin).json().getJsonArray("messages")
      .getJsonObject(0).getString("text")).isEqualTo("Look at step 2");

    List<JsonObject> trinityEvents = events(http.get("/api/codelabs/" + id + "/events?after=0", trinity));
    assertThat(trinityEvents).noneMatch(e -> e.getString("type").equals("chat.posted")
      && e.getJsonObject("data").getJsonObject("message").getBoolean("direct"));
    assertThat(http.post("/api/codelabs/" + id + "/chat", trinity, new JsonObject()).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("announcements: facilitators post and pin, everyone in the codelab reads, pinned first")
  void announcements() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    assertThat(http.post("/api/codelabs/" + id + "/announcements", neo, new JsonObject().put("text", "Free pizza"))
      .status()).isEqualTo(403);
    String first = http.post("/api/codelabs/" + id + "/announcements", admin, new JsonObject().put("text", "Welcome"))
      .json().getJsonObject("announcement").getString("id");
    Response second = http.post("/api/codelabs/" + id + "/announcements", admin,
      new JsonObject().put("text", "Lunch at 12"));
    assertThat(second.status()).isEqualTo(201);

    Response pinned = http.put("/api/codelabs/" + id + "/announcements/" + first + "/pin", admin,
      new JsonObject().put("pinned", true));
    assertThat(pinned.status()).isEqualTo(200);
    assertThat(pinned.json().getJsonObject("announcement").getBoolean("pinned")).isTrue();
    JsonArray list = http.get("/api/codelabs/" + id + "/announcements", neo).json().getJsonArray("announcements");
    assertThat(list.stream().map(a -> ((JsonObject) a).getString("text"))).containsExactly("Welcome", "Lunch at 12");
    assertThat(http.put("/api/codelabs/" + id + "/announcements/nope/pin", admin, new JsonObject().put("pinned", true))
      .status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the event log: contiguous seq for facilitators, only the visible part for attendees, reset when out of reach")
  void eventLog() {
    String id = codelab(admin);
    JsonObject neoJoin = http.join(id, "neo", "code-neo");
    String neo = neoJoin.getString("token");
    String trinity = attendee(id, "trinity");
    http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject().put("step", 1).put("completed", true));
    http.post("/api/codelabs/" + id + "/help", neo, new JsonObject());
    http.post("/api/codelabs/" + id + "/chat", trinity, new JsonObject().put("text", "hi"));
    http.post("/api/codelabs/" + id + "/announcements", admin, new JsonObject().put("text", "Break"));

    Response all = http.get("/api/codelabs/" + id + "/events?after=0", admin);
    List<JsonObject> events = events(all);
    long latest = all.json().getLong("latestSeq");
    assertThat(events.stream().map(e -> e.getLong("seq")))
      .containsExactlyElementsOf(LongStream.rangeClosed(1, latest).boxed().toList());
    assertThat(events.stream().map(e -> e.getString("type"))).containsExactly("attendee.joined", "attendee.joined",
      "attendee.step-changed", "attendee.step-completed", "help.requested", "chat.posted", "announcement.posted");
    String epoch = all.json().getString("epoch");
    assertThat(events).allMatch(e -> e.getString("epoch").equals(epoch));

    List<JsonObject> trinityView = events(http.get("/api/codelabs/" + id + "/events?after=0", trinity));
    assertThat(trinityView.stream().map(e -> e.getString("type")))
      .containsExactly("attendee.joined", "attendee.joined", "chat.posted", "announcement.posted");
    assertThat(trinityView.stream().map(e -> e.getLong("streamSeq"))).containsExactly(1L, 2L, 3L, 4L);
    List<JsonObject> neoView = events(http.get("/api/codelabs/" + id + "/events?after=0", neo));
    assertThat(neoView.stream().map(e -> e.getString("type"))).contains("help.requested");

    Response page = http.get("/api/codelabs/" + id + "/events?after=2&limit=2", admin);
    assertThat(events(page).stream().map(e -> e.getLong("seq"))).containsExactly(3L, 4L);
    assertThat(page.json().getBoolean("more")).isTrue();

    Response otherEpoch = http.get("/api/codelabs/" + id + "/events?after=2&epoch=0123456789abcdef", admin);
    assertThat(otherEpoch.json().getBoolean("reset")).isTrue();
    assertThat(otherEpoch.json().getJsonArray("events")).isEmpty();
    Response ahead = http.get("/api/codelabs/" + id + "/events?after=" + (latest + 5), admin);
    assertThat(ahead.json().getBoolean("reset")).isTrue();
    assertThat(http.get("/api/codelabs/" + id + "/events?after=-1", admin).status()).isEqualTo(400);
    assertThat(http.get("/api/codelabs/" + id + "/events?after=0", attendee(codelab(admin), "x")).status())
      .isEqualTo(403);
  }

  private static List<JsonObject> events(Response response) {
    return response.json().getJsonArray("events").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @DisplayName("an eventId a facilitator used in one codelab is a conflict in another, never a server error")
  void eventIdFromAnotherCodelab() {
    String first = codelab(admin);
    String second = codelab(admin);
    JsonObject keyed = new JsonObject().put("eventId", unique("key-")).put("text", "Lunch");
    assertThat(http.post("/api/codelabs/" + first + "/announcements", admin, keyed).status()).isEqualTo(201);
    Response reused = http.post("/api/codelabs/" + second + "/chat", admin, keyed);
    assertThat(reused.status()).as(reused.text()).isEqualTo(409);
  }

  private static List<String> texts(Response response) {
    return response.json().getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("text")).toList();
  }
}

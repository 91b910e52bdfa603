package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Completion: decided by the writer from the codelab's rules")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionApiTest extends NodeTestBase {

  @Test
  @DisplayName("by default every step completes the codelab, once, with an event to the facilitators and the attendee")
  void allStepsByDefault() {
    String id = codelab(admin);
    JsonObject joined = http.join(id, "neo", "code-neo");
    String neo = joined.getString("token");
    String neoId = joined.getJsonObject("attendee").getString("id");

    JsonObject before = completion(id, neo);
    assertThat(before.getBoolean("complete")).isFalse();
    assertThat(before.getValue("completedAt")).isNull();
    assertThat(before.getJsonArray("missing")).containsExactly("steps");
    assertThat(before.getJsonObject("steps")).isEqualTo(new JsonObject().put("done", 0).put("total", 3));
    assertThat(before.getJsonObject("rules")).isEqualTo(new JsonObject().put("allSteps", true).put("quiz", false)
      .put("passMark", 70).put("feedback", false).put("submission", false));

    completeSteps(id, neo, 0, 1);
    assertThat(completion(id, neo).getBoolean("complete")).isFalse();
    completeSteps(id, neo, 2);
    completeSteps(id, neo, 2);

    JsonObject after = completion(id, neo);
    assertThat(after.getBoolean("complete")).isTrue();
    assertThat(after.getLong("completedAt")).isPositive();
    assertThat(after.getJsonArray("missing")).isEmpty();
    assertThat(http.get("/api/codelabs/" + id + "/completion?attendeeId=" + neoId, admin).json())
      .isEqualTo(after);

    List<JsonObject> seenByFacilitator = events(id, admin, "attendee.completed", "completion.reached");
    assertThat(seenByFacilitator).extracting(event -> event.getString("type"))
      .containsExactly("attendee.completed", "completion.reached");
    assertThat(seenByFacilitator.get(0).getJsonObject("data")).isEqualTo(new JsonObject().put("attendeeId", neoId)
      .put("nickname", "neo").put("completedAt", after.getLong("completedAt")));
    assertThat(events(id, neo, "attendee.completed", "completion.reached")).extracting(event -> event.getString("type"))
      .containsExactly("completion.reached");
  }

  @Test
  @DisplayName("a submission rule blocks alone: steps done is not enough until something is handed in")
  void submissionRule() {
    String id = codelab(admin);
    Response patched = http.patch("/api/codelabs/" + id, admin, new JsonObject()
      .put("completion", new JsonObject().put("submission", true).put("passMark", 80)));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().getJsonObject("completion")).isEqualTo(new JsonObject().put("allSteps", true)
      .put("quiz", false).put("passMark", 80).put("feedback", false).put("submission", true));
    String neo = attendee(id, "neo");
    assertThat(http.get("/api/codelabs/" + id, neo).json().getJsonObject("completion").getBoolean("submission"))
      .isTrue();

    completeSteps(id, neo, 0, 1, 2);
    JsonObject waiting = completion(id, neo);
    assertThat(waiting.getBoolean("complete")).isFalse();
    assertThat(waiting.getJsonArray("missing")).containsExactly("submission");
    assertThat(waiting.getJsonObject("submission")).isEqualTo(new JsonObject().put("required", true)
      .put("handedIn", false));

    assertThat(http.post("/api/codelabs/" + id + "/submissions", neo, new JsonObject()
      .put("url", "https://example.org/neo/repo")).status()).isEqualTo(201);
    JsonObject done = completion(id, neo);
    assertThat(done.getBoolean("complete")).isTrue();
    assertThat(done.getJsonObject("submission").getBoolean("handedIn")).isTrue();
  }

  @Test
  @DisplayName("loosening the rules completes attendees who now meet them; once complete, stricter rules do not undo it")
  void ruleChangesReassess() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    completeSteps(id, neo, 0);
    assertThat(completion(id, neo).getBoolean("complete")).isFalse();

    http.patch("/api/codelabs/" + id, admin, new JsonObject().put("completion", new JsonObject().put("allSteps", false)));
    assertThat(completion(id, neo).getBoolean("complete")).isTrue();
    assertThat(completion(id, trinity).getBoolean("complete")).isTrue();

    http.patch("/api/codelabs/" + id, admin, new JsonObject().put("completion", new JsonObject()
      .put("allSteps", true).put("feedback", true)));
    JsonObject still = completion(id, neo);
    assertThat(still.getBoolean("complete")).isTrue();
    assertThat(still.getJsonArray("missing")).isEmpty();
    assertThat(events(id, admin, "attendee.completed")).hasSize(2);
  }

  @Test
  @DisplayName("when the last step is removed, an attendee who did every remaining step completes")
  void stepsRemovedReassess() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    completeSteps(id, neo, 0, 1);
    assertThat(completion(id, neo).getBoolean("complete")).isFalse();
    assertThat(http.put("/api/codelabs/" + id + "/steps", admin, new JsonObject().put("steps", new JsonArray()
      .add(step("Setup", "Again")).add(step("Build", "Again")))).status()).isEqualTo(200);
    JsonObject after = completion(id, neo);
    assertThat(after.getBoolean("complete")).isTrue();
    assertThat(after.getJsonObject("steps")).isEqualTo(new JsonObject().put("done", 2).put("total", 2));
  }

  @Test
  @DisplayName("bad rules are 400; attendees see only their own state, facilitators must name the attendee, strangers 401/403")
  void accessAndValidation() {
    String id = codelab(admin);
    assertThat(http.patch("/api/codelabs/" + id, admin, new JsonObject()
      .put("completion", new JsonObject().put("passMark", 101))).status()).isEqualTo(400);
    assertThat(http.patch("/api/codelabs/" + id, admin, new JsonObject()
      .put("completion", new JsonObject().put("everything", true))).status()).isEqualTo(400);

    String neo = attendee(id, "neo");
    JsonObject trinity = http.join(id, "trinity", "code-trinity");
    String trinityId = trinity.getJsonObject("attendee").getString("id");
    completeSteps(id, trinity.getString("token"), 0);
    assertThat(http.get("/api/codelabs/" + id + "/completion?attendeeId=" + trinityId, neo).json()
      .getJsonObject("steps").getInteger("done")).as("neo asking for trinity gets its own").isZero();
    assertThat(http.get("/api/codelabs/" + id + "/completion", admin).status()).isEqualTo(400);
    assertThat(http.get("/api/codelabs/" + id + "/completion?attendeeId=nobody", admin).status()).isEqualTo(404);
    assertThat(http.get("/api/codelabs/" + id + "/completion", null).status()).isEqualTo(401);
    String other = codelab(admin);
    assertThat(http.get("/api/codelabs/" + other + "/completion", neo).status()).isEqualTo(403);
  }

  private static JsonObject completion(String codelabId, String token) {
    Response response = http.get("/api/codelabs/" + codelabId + "/completion", token);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static void completeSteps(String codelabId, String token, int... steps) {
    for (int step : steps) {
      assertThat(http.post("/api/codelabs/" + codelabId + "/progress", token, new JsonObject()
        .put("step", step).put("completed", true)).status()).isEqualTo(200);
    }
  }

  private static List<JsonObject> events(String codelabId, String token, String... types) {
    JsonArray events = http.get("/api/codelabs/" + codelabId + "/events?after=0", token).json().getJsonArray("events");
    List<String> wanted = List.of(types);
    return events.stream().map(JsonObject.class::cast).filter(event -> wanted.contains(event.getString("type")))
      .toList();
  }
}

package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.QuizFixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Pacing over REST: hold and release, send to a step, pulse polls, known issues, help triage")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PacingApiTest extends NodeTestBase {

  private static String path(String codelabId, String rest) {
    return "/api/codelabs/" + codelabId + rest;
  }

  @Test
  @DisplayName("a hold refuses progress past its step with 423 step-held until released; only facilitators hold")
  void holdRefusesProgressPastTheStep() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    assertThat(http.post(path(id, "/pacing/hold"), neo, new JsonObject().put("step", 1)).status()).isEqualTo(403);
    assertThat(http.post(path(id, "/pacing/hold"), admin, new JsonObject().put("step", 7)).status()).isEqualTo(400);
    Response held = http.post(path(id, "/pacing/hold"), admin, new JsonObject().put("step", 1));
    assertThat(held.status()).isEqualTo(200);
    assertThat(held.json().getInteger("heldAtStep")).isEqualTo(1);

    assertThat(http.post(path(id, "/progress"), neo, new JsonObject().put("step", 1).put("completed", true)).status())
      .as("the held step itself, and completing it").isEqualTo(200);
    Response refused = http.post(path(id, "/progress"), neo, new JsonObject().put("step", 2));
    assertThat(refused.status()).isEqualTo(423);
    assertThat(refused.json().getString("type")).isEqualTo("urn:codelabs:problem:step-held");
    assertThat(refused.json().getString("detail")).contains("step 2");
    assertThat(http.get(path(id, "/pacing"), neo).json().getInteger("heldAtStep")).isEqualTo(1);

    assertThat(http.post(path(id, "/pacing/release"), neo, null).status()).isEqualTo(403);
    Response released = http.post(path(id, "/pacing/release"), admin, null);
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().getValue("heldAtStep")).isNull();
    assertThat(http.post(path(id, "/pacing/release"), admin, null).json().getBoolean("duplicate")).isTrue();
    Response moved = http.post(path(id, "/progress"), neo, new JsonObject().put("step", 2));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().getInteger("currentStep")).isEqualTo(2);
  }

  @Test
  @DisplayName("send to a step: facilitators only, within the steps, never past a hold")
  void sendToStep() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    assertThat(http.post(path(id, "/pacing/send-to-step"), neo, new JsonObject().put("step", 1)).status())
      .isEqualTo(403);
    Response sent = http.post(path(id, "/pacing/send-to-step"), admin, new JsonObject().put("step", 2));
    assertThat(sent.status()).isEqualTo(200);
    assertThat(sent.json().getInteger("step")).isEqualTo(2);
    assertThat(sent.json().getLong("seq")).isPositive();
    http.post(path(id, "/pacing/hold"), admin, new JsonObject().put("step", 0));
    assertThat(http.post(path(id, "/pacing/send-to-step"), admin, new JsonObject().put("step", 1)).status())
      .isEqualTo(409);
    assertThat(http.post(path(id, "/pacing/send-to-step"), admin, new JsonObject().put("step", 0)).status())
      .isEqualTo(200);
  }

  @Test
  @DisplayName("a pulse poll: one answer per attendee, changeable while open, refused once closed; tallies and answers for facilitators")
  void pulsePoll() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    assertThat(http.post(path(id, "/polls"), neo, new JsonObject().put("step", 0)).status()).isEqualTo(403);
    Response started = http.post(path(id, "/polls"), admin, new JsonObject().put("step", 1));
    assertThat(started.status()).isEqualTo(201);
    String pollId = started.json().getJsonObject("poll").getString("id");
    String answer = path(id, "/polls/" + pollId + "/answer");

    assertThat(http.post(answer, neo, new JsonObject().put("answer", "maybe")).status()).isEqualTo(400);
    assertThat(http.post(answer, admin, new JsonObject().put("answer", "yes")).status()).isEqualTo(403);
    assertThat(http.post(answer, neo, new JsonObject().put("answer", "not-yet")).status()).isEqualTo(200);
    assertThat(http.post(answer, trinity, new JsonObject().put("answer", "yes")).status()).isEqualTo(200);
    assertThat(http.post(answer, neo, new JsonObject().put("answer", "not-yet")).json().getBoolean("duplicate"))
      .as("the same answer again changes nothing").isTrue();
    assertThat(http.post(answer, neo, new JsonObject().put("answer", "yes")).status()).isEqualTo(200);

    JsonObject facilitatorView = http.get(path(id, "/pacing"), admin).json().getJsonObject("poll");
    assertThat(facilitatorView.getJsonObject("tally")).isEqualTo(new JsonObject().put("yes", 2).put("notYet", 0));
    assertThat(facilitatorView.getJsonArray("answers")).hasSize(2);
    JsonObject attendeeView = http.get(path(id, "/pacing"), neo).json().getJsonObject("poll");
    assertThat(attendeeView.getString("mine")).isEqualTo("yes");
    assertThat(attendeeView.containsKey("answers")).as("no answers per attendee for attendees").isFalse();

    Response closed = http.post(path(id, "/polls/" + pollId + "/close"), admin, null);
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.json().getJsonObject("poll").getValue("closedAt")).isNotNull();
    assertThat(closed.json().getJsonObject("poll").getJsonObject("tally").getInteger("yes")).isEqualTo(2);
    assertThat(http.post(answer, trinity, new JsonObject().put("answer", "not-yet")).status()).isEqualTo(409);
    assertThat(http.post(path(id, "/polls/nope/answer"), neo, new JsonObject().put("answer", "yes")).status())
      .isEqualTo(404);

    String second = http.post(path(id, "/polls"), admin, new JsonObject().put("step", 2)).json()
      .getJsonObject("poll").getString("id");
    String third = http.post(path(id, "/polls"), admin, new JsonObject().put("step", 2)).json()
      .getJsonObject("poll").getString("id");
    assertThat(http.post(path(id, "/polls/" + second + "/answer"), neo, new JsonObject().put("answer", "yes"))
      .status()).as("starting a poll closes the open one").isEqualTo(409);
    assertThat(http.get(path(id, "/pacing"), neo).json().getJsonObject("poll").getString("id")).isEqualTo(third);
  }

  @Test
  @DisplayName("known issues: pinned per step by facilitators, read by attendees, taken down by an empty text")
  void knownIssues() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    JsonObject note = new JsonObject().put("step", 1).put("text", "Gradle sync fails: use the offline mirror");
    assertThat(http.put(path(id, "/known-issues"), neo, note).status()).isEqualTo(403);
    assertThat(http.put(path(id, "/known-issues"), admin, note.copy().put("text", "x".repeat(281))).status())
      .isEqualTo(400);
    assertThat(http.put(path(id, "/known-issues"), admin, note).status()).isEqualTo(200);
    JsonArray issues = http.get(path(id, "/pacing"), neo).json().getJsonArray("knownIssues");
    assertThat(issues).containsExactly(note);

    assertThat(http.put(path(id, "/known-issues"), admin, note.copy().put("text", "")).status()).isEqualTo(200);
    assertThat(http.get(path(id, "/pacing"), neo).json().getJsonArray("knownIssues")).isEmpty();
    assertThat(http.get(path(id, "/pacing"), newFacilitator(unique("outsider"))).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("known issues, quiz checkpoints and the hold follow their steps when the steps are reordered by id")
  void pinnedThingsFollowTheirSteps() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    JsonArray steps = http.get(path(id, ""), admin).json().getJsonArray("steps");
    String first = steps.getJsonObject(0).getString("id");
    String second = steps.getJsonObject(1).getString("id");
    String third = steps.getJsonObject(2).getString("id");
    http.put(path(id, "/known-issues"), admin, new JsonObject().put("step", 0).put("text", "About the first step"));
    http.put(path(id, "/known-issues"), admin, new JsonObject().put("step", 1).put("text", "About the second step"));
    http.post(path(id, "/pacing/hold"), admin, new JsonObject().put("step", 2));
    String quizId = QuizFixtures.putQuiz(http, admin, id, QuizFixtures.everyKind(1, "best", "never").put("step", 1));
    http.post(path(id, "/progress"), neo, new JsonObject().put("step", 0).put("completed", true));
    http.post(path(id, "/progress"), neo, new JsonObject().put("step", 1).put("completed", true));
    assertThat(http.post(path(id, "/progress"), neo, new JsonObject().put("step", 2)).status()).isEqualTo(200);

    JsonArray reordered = new JsonArray()
      .add(existingStep(third, "Third, now first"))
      .add(existingStep(null, "A new step"))
      .add(existingStep(second, "Second, now third"));
    Response replaced = http.put(path(id, "/steps"), admin, new JsonObject().put("steps", reordered));
    assertThat(replaced.status()).isEqualTo(200);

    JsonArray after = http.get(path(id, ""), admin).json().getJsonArray("steps");
    assertThat(after.getJsonObject(0).getString("id")).isEqualTo(third);
    assertThat(after.getJsonObject(2).getString("id")).isEqualTo(second);
    assertThat(after.getJsonObject(1).getString("id")).isNotIn(first, second, third);
    JsonObject pacing = http.get(path(id, "/pacing"), neo).json();
    assertThat(pacing.getJsonArray("knownIssues"))
      .as("the second step's note went with it, the deleted first step's note went away")
      .containsExactly(new JsonObject().put("step", 2).put("text", "About the second step"));
    assertThat(pacing.getInteger("heldAtStep")).isZero();
    JsonObject quiz = http.get(path(id, "/quizzes"), admin).json().getJsonArray("quizzes").getJsonObject(0);
    assertThat(quiz.getString("id")).isEqualTo(quizId);
    assertThat(quiz.getInteger("step")).isEqualTo(2);
    JsonObject progress = http.get(path(id, ""), neo).json().getJsonObject("progress");
    assertThat(progress.getInteger("currentStep")).as("still on the step it was reading").isZero();
    assertThat(progress.getJsonArray("completedSteps")).as("the second step's completion moved, the first's went")
      .containsExactly(2);

    JsonArray unknown = new JsonArray().add(existingStep("not-a-step-here", "Stranger"));
    assertThat(http.put(path(id, "/steps"), admin, new JsonObject().put("steps", unknown)).status()).isEqualTo(400);
    JsonArray twice = new JsonArray().add(existingStep(third, "Once")).add(existingStep(third, "Twice"));
    assertThat(http.put(path(id, "/steps"), admin, new JsonObject().put("steps", twice)).status()).isEqualTo(400);
    String otherLab = codelab(admin);
    String foreign = http.get(path(otherLab, ""), admin).json().getJsonArray("steps").getJsonObject(0).getString("id");
    JsonArray stolen = new JsonArray().add(existingStep(foreign, "Foreign"));
    assertThat(http.put(path(id, "/steps"), admin, new JsonObject().put("steps", stolen)).status())
      .as("another codelab's step").isEqualTo(400);
    assertThat(http.get(path(id, ""), admin).json().getJsonArray("steps")).hasSize(3);
  }

  private static JsonObject existingStep(String stepId, String title) {
    JsonObject step = new JsonObject().put("title", title).put("markdown", "Body of " + title).put("durationMinutes", 5);
    return stepId == null ? step : step.put("id", stepId);
  }

  @Test
  @DisplayName("help: the attendee cancels its own request only; a facilitator assigns it to an assistant, never to an outsider")
  void cancelAndAssign() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    String helpId = http.post(path(id, "/help"), neo, new JsonObject().put("message", "Build fails")).json()
      .getJsonObject("help").getString("id");
    assertThat(http.post(path(id, "/help/" + helpId + "/cancel"), trinity, null).status()).isEqualTo(404);
    assertThat(http.post(path(id, "/help/" + helpId + "/cancel"), admin, null).status()).isEqualTo(403);
    Response cancelled = http.post(path(id, "/help/" + helpId + "/cancel"), neo, null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().getJsonObject("help").getString("status")).isEqualTo("cancelled");
    assertThat(http.post(path(id, "/help/" + helpId + "/cancel"), neo, null).json().getBoolean("duplicate")).isTrue();
    assertThat(http.post(path(id, "/help/" + helpId + "/claim"), admin, null).status()).isEqualTo(409);
    assertThat(http.post(path(id, "/help"), neo, new JsonObject().put("message", "Still failing")).status())
      .as("a new request after cancelling").isEqualTo(201);

    String assistantName = unique("helper");
    newFacilitator(assistantName);
    String assistantId = http.post(path(id, "/assistants"), admin, new JsonObject().put("username", assistantName))
      .json().getString("id");
    String outsiderName = unique("outsider");
    newFacilitator(outsiderName);
    String outsiderId = http.get("/api/facilitators", admin).json().getJsonArray("facilitators").stream()
      .map(JsonObject.class::cast).filter(f -> outsiderName.equals(f.getString("username")))
      .findFirst().orElseThrow().getString("id");
    String trinityHelp = http.post(path(id, "/help"), trinity, new JsonObject().put("message", "Sync")).json()
      .getJsonObject("help").getString("id");
    String assign = path(id, "/help/" + trinityHelp + "/assign");
    assertThat(http.post(assign, neo, new JsonObject().put("facilitatorId", assistantId)).status()).isEqualTo(403);
    assertThat(http.post(assign, admin, new JsonObject().put("facilitatorId", outsiderId)).status()).isEqualTo(400);
    Response assigned = http.post(assign, admin, new JsonObject().put("facilitatorId", assistantId));
    assertThat(assigned.status()).isEqualTo(200);
    assertThat(assigned.json().getJsonObject("help").getString("status")).isEqualTo("claimed");
    assertThat(assigned.json().getJsonObject("help").getString("claimedBy")).isEqualTo(assistantId);
  }

  @Test
  @DisplayName("open requests are grouped by step with the phrase most of their messages share, for facilitators only")
  void grouping() {
    String id = codelab(admin);
    String[][] asks = {
      {"a1", "1", "Gradle sync fails"}, {"a2", "1", "gradle SYNC never ends!"}, {"a3", "1", "Gradle sync: timeout"},
      {"a4", "1", "cannot find JDK"}, {"a5", "2", "Port 8080 in use"}, {"a6", "2", "port 8080 already in use"}};
    for (String[] ask : asks) {
      String token = attendee(id, ask[0]);
      http.post(path(id, "/help"), token, new JsonObject().put("step", Integer.parseInt(ask[1])).put("message", ask[2]));
    }
    String cancelling = attendee(id, "a7");
    String cancelled = http.post(path(id, "/help"), cancelling, new JsonObject().put("step", 2)
      .put("message", "port 8080")).json().getJsonObject("help").getString("id");
    http.post(path(id, "/help/" + cancelled + "/cancel"), cancelling, null);

    JsonArray groups = http.get(path(id, "/help"), admin).json().getJsonArray("groups");
    assertThat(groups).hasSize(2);
    JsonObject first = groups.getJsonObject(0);
    assertThat(first.getInteger("step")).isEqualTo(1);
    assertThat(first.getInteger("count")).isEqualTo(4);
    assertThat(first.getJsonObject("common")).isEqualTo(new JsonObject().put("phrase", "gradle sync").put("count", 3));
    JsonObject second = groups.getJsonObject(1);
    assertThat(second.getInteger("count")).as("the cancelled request is not counted").isEqualTo(2);
    assertThat(second.getJsonObject("common").getString("phrase")).isEqualTo("port 8080");
    assertThat(http.get(path(id, "/help"), cancelling).json().containsKey("groups")).isFalse();
  }
}

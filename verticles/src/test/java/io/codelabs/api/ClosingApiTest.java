package io.codelabs.api;

import static io.codelabs.QuizFixtures.allRight;
import static io.codelabs.QuizFixtures.everyKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.QuizFixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Feedback, completion gates and results, over REST")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClosingApiTest extends NodeTestBase {

  private static Response feedback(String codelabId, String token, int difficulty, int satisfaction, String comment) {
    return http.put("/api/codelabs/" + codelabId + "/feedback", token, new JsonObject().put("difficulty", difficulty)
      .put("satisfaction", satisfaction).put("comment", comment));
  }

  private static String putQuiz(String codelabId, JsonObject quiz) {
    return QuizFixtures.putQuiz(http, admin, codelabId, quiz);
  }

  private static Response attempt(String codelabId, String quizId, String token, JsonObject answers) {
    return QuizFixtures.attempt(http, codelabId, quizId, token, answers);
  }

  private static void completeSteps(String codelabId, String token) {
    for (int step = 0; step < 3; step++) {
      http.post("/api/codelabs/" + codelabId + "/progress", token, new JsonObject().put("step", step)
        .put("completed", true));
    }
  }

  private static JsonObject completion(String codelabId, String token) {
    return http.get("/api/codelabs/" + codelabId + "/completion", token).json();
  }

  @Test
  @DisplayName("feedback is one per attendee, editable, summarised for facilitators, closed once the codelab is archived")
  void feedbackOncePerAttendee() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    assertThat(http.get("/api/codelabs/" + id + "/feedback", neo).status()).isEqualTo(404);
    Response given = feedback(id, neo, 4, 2, "Too fast");
    assertThat(given.status()).as(given.text()).isEqualTo(200);
    assertThat(given.json().getJsonObject("feedback").getString("comment")).isEqualTo("Too fast");
    assertThat(given.json().getJsonObject("completion").getJsonObject("feedback").getBoolean("given")).isTrue();
    assertThat(feedback(id, neo, 3, 5, "Fine after all").status()).isEqualTo(200);
    assertThat(feedback(id, trinity, 3, 4, "").status()).isEqualTo(200);
    assertThat(feedback(id, neo, 6, 5, "").status()).isEqualTo(400);
    assertThat(feedback(id, neo, 3, 5, "x".repeat(2001)).status()).isEqualTo(400);
    assertThat(feedback(id, admin, 3, 5, "").status()).isEqualTo(403);
    String elsewhere = codelab(admin);
    String neoElsewhere = attendee(elsewhere, "neo");
    JsonObject keyed = new JsonObject().put("eventId", "feedback-key-1").put("difficulty", 1).put("satisfaction", 1);
    assertThat(http.put("/api/codelabs/" + id + "/feedback", trinity, keyed).status()).isEqualTo(200);
    assertThat(http.put("/api/codelabs/" + id + "/feedback", trinity, keyed).status()).isEqualTo(200);
    assertThat(http.put("/api/codelabs/" + elsewhere + "/feedback", neoElsewhere, keyed).status())
      .as("another attendee's key").isEqualTo(409);
    assertThat(feedback(id, trinity, 3, 4, "").status()).isEqualTo(200);

    assertThat(http.get("/api/codelabs/" + id + "/feedback", neo).json().getJsonObject("feedback")
      .getInteger("satisfaction")).isEqualTo(5);
    JsonObject seen = http.get("/api/codelabs/" + id + "/feedback", admin).json();
    assertThat(seen.getJsonObject("summary")).isEqualTo(new JsonObject().put("count", 2)
      .put("difficulty", new JsonObject().put("1", 0).put("2", 0).put("3", 2).put("4", 0).put("5", 0).put("mean", 3.0))
      .put("satisfaction", new JsonObject().put("1", 0).put("2", 0).put("3", 0).put("4", 1).put("5", 1).put("mean", 4.5)));
    assertThat(seen.getJsonArray("comments")).hasSize(1);
    assertThat(seen.getJsonArray("comments").getJsonObject(0).getString("comment")).isEqualTo("Fine after all");
    JsonArray events = http.get("/api/codelabs/" + id + "/events?after=0", admin).json().getJsonArray("events");
    assertThat(events.stream().map(JsonObject.class::cast).filter(e -> e.getString("type").equals("feedback.given")))
      .as("one per write, none for the retry").hasSize(5);
    assertThat(http.get("/api/codelabs/" + id + "/events?after=0", trinity).text()).doesNotContain("Fine after all");

    http.patch("/api/codelabs/" + id, admin, new JsonObject().put("joinsClosed", true));
    assertThat(feedback(id, neo, 2, 5, "joins closed, still open").status()).isEqualTo(200);
    http.patch("/api/codelabs/" + id, admin, new JsonObject().put("archived", true));
    assertThat(feedback(id, neo, 1, 1, "too late").status()).isEqualTo(403);
  }

  @Test
  @DisplayName("every rule blocks completion alone; with all of them met the attendee completes, with events")
  void completionGates() {
    String id = codelab(admin);
    http.patch("/api/codelabs/" + id, admin, new JsonObject().put("completion", new JsonObject()
      .put("allSteps", true).put("quiz", true).put("passMark", 75).put("feedback", true).put("submission", true)));
    String quizId = putQuiz(id, everyKind(0, "best", "never"));
    List<String> rules = List.of("steps", "quiz", "feedback", "submission");
    for (String skipped : rules) {
      String token = attendee(id, "skips-" + skipped);
      if (!skipped.equals("steps")) {
        completeSteps(id, token);
      }
      // A quarter right: below the pass mark, which blocks like no attempt at all.
      attempt(id, quizId, token, skipped.equals("quiz")
        ? new JsonObject().put("single", new JsonArray().add("c2"))
        : allRight());
      if (!skipped.equals("feedback")) {
        feedback(id, token, 3, 3, "");
      }
      if (!skipped.equals("submission")) {
        http.post("/api/codelabs/" + id + "/submissions", token, new JsonObject().put("url", "https://example.org/x"));
      }
      JsonObject state = completion(id, token);
      assertThat(state.getBoolean("complete")).as(skipped).isFalse();
      assertThat(state.getJsonArray("missing")).as(skipped).containsExactly(skipped);
    }

    String neo = attendee(id, "neo");
    completeSteps(id, neo);
    feedback(id, neo, 3, 3, "");
    http.post("/api/codelabs/" + id + "/submissions", neo, new JsonObject().put("url", "https://example.org/neo"));
    assertThat(completion(id, neo).getJsonArray("missing")).containsExactly("quiz");
    Response passing = attempt(id, quizId, neo, allRight());
    JsonObject done = passing.json().getJsonObject("completion");
    assertThat(done.getBoolean("complete")).isTrue();
    assertThat(done.getJsonObject("quiz")).isEqualTo(new JsonObject().put("required", true).put("passed", true)
      .put("percent", 100).put("passMark", 75));
    JsonArray events = http.get("/api/codelabs/" + id + "/events?after=0", neo).json().getJsonArray("events");
    assertThat(events.stream().map(JsonObject.class::cast).map(e -> e.getString("type")))
      .contains("completion.reached", "quiz.graded").doesNotContain("attendee.completed", "quiz.submitted");
    assertThat(http.get("/api/codelabs/" + id + "/results", admin).json().getJsonObject("completion")
      .getInteger("complete")).isEqualTo(1);
  }

  @Test
  @DisplayName("results count right and wrong per question with the common wrong answers; the CSV quotes and guards cells")
  void resultsAndCsv() {
    String id = codelab(admin);
    String quizId = putQuiz(id, everyKind(0, "last", "never"));
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    String morpheus = attendee(id, "morpheus");
    attempt(id, quizId, neo, new JsonObject().put("single", new JsonArray().add("c1")));
    attempt(id, quizId, neo, allRight());
    attempt(id, quizId, trinity, new JsonObject().put("single", new JsonArray().add("c1"))
      .put("multiple", new JsonArray().add("c1")).put("free", "=cmd|' /C calc'!A0"));
    attempt(id, quizId, morpheus, new JsonObject().put("single", new JsonArray().add("c3")).put("short", "threads"));
    http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject().put("step", 0).put("completed", true));
    feedback(id, neo, 2, 5, "Said \"wow\", then left,\nhappy");
    feedback(id, trinity, 4, 1, "@SUM(A1:A2)");

    JsonObject results = http.get("/api/codelabs/" + id + "/results", admin).json();
    JsonObject quiz = results.getJsonArray("quizzes").getJsonObject(0);
    assertThat(quiz.getInteger("attempts")).isEqualTo(4);
    assertThat(quiz.getInteger("passed")).isEqualTo(1);
    JsonObject single = quiz.getJsonArray("questions").getJsonObject(0);
    assertThat(single.getInteger("right")).as("neo's last attempt counts").isEqualTo(1);
    assertThat(single.getInteger("wrong")).isEqualTo(2);
    assertThat(single.getJsonArray("commonWrong")).containsExactly(
      new JsonObject().put("answer", "One").put("count", 1), new JsonObject().put("answer", "Three").put("count", 1));
    JsonObject shortAnswer = quiz.getJsonArray("questions").getJsonObject(2);
    assertThat(shortAnswer.getJsonArray("commonWrong")).contains(new JsonObject().put("answer", "threads").put("count", 1));
    JsonObject free = quiz.getJsonArray("questions").getJsonObject(3);
    assertThat(free.getJsonArray("freeAnswers")).hasSize(2);
    assertThat(free.containsKey("right")).isFalse();
    assertThat(results.getJsonObject("feedback").getInteger("count")).isEqualTo(2);
    assertThat(results.getJsonObject("completion").getInteger("attendees")).isEqualTo(3);
    assertThat(results.getJsonObject("completion").getJsonArray("missing")).hasSize(3);

    Response csv = http.get("/api/codelabs/" + id + "/results.csv", admin);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("content-type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(csv.text()).startsWith("\uFEFFnickname,steps done,seconds on step 1: Setup,seconds on step 2: Build,"
      + "seconds on step 3: Ship,quiz percent: Check,difficulty,satisfaction,comment,complete,completed at,"
      + "certificate id\r\n");
    String[] lines = csv.text().split("\r\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[1]).matches("neo,1,\\d+,,,100,2,5,\"Said \"\"wow\"\", then left,\nhappy\",no,,");
    assertThat(lines[2]).isEqualTo("trinity,0,,,,0,4,1,'@SUM(A1:A2),no,,");
    assertThat(lines[3]).isEqualTo("morpheus,0,,,,0,,,,no,,");
    assertThat(http.get("/api/codelabs/" + id + "/results.csv", null).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("CSV cells: quotes doubled, separators and line breaks quoted, formula starts guarded")
  void csvCells() {
    assertThat(Csv.cell(null)).isEmpty();
    assertThat(Csv.cell(42)).isEqualTo("42");
    assertThat(Csv.cell("plain")).isEqualTo("plain");
    assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.cell("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
    assertThat(Csv.cell("=1+1")).isEqualTo("'=1+1");
    assertThat(Csv.cell("+1")).isEqualTo("'+1");
    assertThat(Csv.cell("-1")).isEqualTo("'-1");
    assertThat(Csv.cell("@x")).isEqualTo("'@x");
    assertThat(Csv.cell("\tx")).isEqualTo("'\tx");
    assertThat(Csv.cell("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assertThat(Csv.table(List.of(List.of("a", 1), List.of("b", 2)))).isEqualTo("a,1\r\nb,2\r\n");
  }
}

package io.codelabs.api;

import static io.codelabs.QuizFixtures.SECRET_ANSWER;
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

@DisplayName("Quizzes graded by the writer, over REST")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QuizApiTest extends NodeTestBase {
  private static String putQuiz(String codelabId, JsonObject quiz) {
    return QuizFixtures.putQuiz(http, admin, codelabId, quiz);
  }

  private static Response attempt(String codelabId, String quizId, String token, JsonObject answers) {
    return QuizFixtures.attempt(http, codelabId, quizId, token, answers);
  }

  private static List<Boolean> correctness(JsonObject attempt) {
    return attempt.getJsonArray("questions").stream().map(JsonObject.class::cast)
      .map(question -> question.getBoolean("correct")).toList();
  }

  @Test
  @DisplayName("every kind is graded: NFKC, case and space variants of an accepted answer are right, partly right is wrong, free is not graded")
  void gradingOfEveryKind() {
    String id = codelab(admin);
    String quizId = putQuiz(id, everyKind(0, "best", "never"));
    String neo = attendee(id, "neo");

    Response right = attempt(id, quizId, neo, allRight());
    assertThat(right.status()).as(right.text()).isEqualTo(201);
    JsonObject attempt = right.json().getJsonObject("attempt");
    assertThat(correctness(attempt)).containsExactly(true, true, true, null);
    assertThat(attempt.getInteger("score")).isEqualTo(4);
    assertThat(attempt.getInteger("maxScore")).isEqualTo(4);
    assertThat(attempt.getInteger("percent")).isEqualTo(100);
    assertThat(attempt.getBoolean("passed")).isTrue();
    assertThat(attempt.getInteger("number")).isEqualTo(1);
    assertThat(right.json().getJsonObject("completion").getJsonObject("quiz").getInteger("percent")).isEqualTo(100);

    Response partly = attempt(id, quizId, neo, new JsonObject().put("single", new JsonArray().add("c1"))
      .put("multiple", new JsonArray().add("c1")).put("short", "zebra-loop"));
    assertThat(correctness(partly.json().getJsonObject("attempt"))).containsExactly(false, false, false, null);
    assertThat(partly.json().getJsonObject("attempt").getInteger("percent")).isZero();

    Response tooMany = attempt(id, quizId, neo, new JsonObject()
      .put("multiple", new JsonArray().add("c1").add("c2").add("c3")).put("short", "EVENT   LOOP"));
    assertThat(correctness(tooMany.json().getJsonObject("attempt"))).containsExactly(false, false, true, null);
    assertThat(tooMany.json().getJsonObject("attempt").getInteger("percent")).isEqualTo(50);

    assertThat(attempt(id, quizId, neo, new JsonObject().put("nope", "x")).status()).isEqualTo(400);
    assertThat(attempt(id, quizId, neo, new JsonObject().put("single", 3)).status()).isEqualTo(400);
    assertThat(attempt(id, "missing", neo, allRight()).status()).isEqualTo(404);
    assertThat(attempt(id, quizId, admin, allRight()).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("the attempts limit answers 409; best scoring keeps the best attempt, last scoring the last")
  void attemptsLimitAndScoring() {
    String id = codelab(admin);
    JsonObject best = everyKind(2, "best", "never");
    JsonObject last = everyKind(2, "last", "never").put("title", "Last counts");
    Response put = http.put("/api/codelabs/" + id + "/quizzes", admin,
      new JsonObject().put("quizzes", new JsonArray().add(best).add(last)));
    String bestId = put.json().getJsonArray("quizzes").getJsonObject(0).getString("id");
    String lastId = put.json().getJsonArray("quizzes").getJsonObject(1).getString("id");
    String neo = attendee(id, "neo");
    for (String quizId : List.of(bestId, lastId)) {
      assertThat(attempt(id, quizId, neo, allRight()).status()).isEqualTo(201);
      assertThat(attempt(id, quizId, neo, new JsonObject()).status()).isEqualTo(201);
      Response refused = attempt(id, quizId, neo, allRight());
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.header("content-type")).contains("problem+json");
    }
    JsonArray quizzes = http.get("/api/codelabs/" + id + "/quizzes", neo).json().getJsonArray("quizzes");
    assertThat(quizzes.getJsonObject(0).getJsonObject("mine")).isEqualTo(new JsonObject().put("attemptsUsed", 2)
      .put("attemptsLeft", 0).put("bestPercent", 100).put("lastPercent", 0).put("passed", true));
    assertThat(quizzes.getJsonObject(1).getJsonObject("mine").getBoolean("passed")).isFalse();
    JsonObject completion = http.get("/api/codelabs/" + id + "/completion", neo).json();
    assertThat(completion.getJsonObject("quiz").getInteger("percent")).as("the lowest counting percent").isZero();
    assertThat(completion.getJsonObject("quiz").getBoolean("passed")).isFalse();
    String trinity = attendee(id, "trinity");
    assertThat(attempt(id, bestId, trinity, new JsonObject()).status()).isEqualTo(201);
    JsonArray own = http.get("/api/codelabs/" + id + "/quizzes/" + bestId + "/attempts", neo).json()
      .getJsonArray("attempts");
    assertThat(own).hasSize(2).allMatch(attempt -> ((JsonObject) attempt).getString("nickname").equals("neo"));
    assertThat(own.getJsonObject(0).getJsonObject("given")).isEqualTo(allRight());
    assertThat(http.get("/api/codelabs/" + id + "/quizzes/" + bestId + "/attempts", admin).json()
      .getJsonArray("attempts")).hasSize(3);
  }

  @Test
  @DisplayName("reveal: never shows no answer key, after-submit at once, after-last-attempt only with the last attempt")
  void revealPolicies() {
    String id = codelab(admin);
    String never = putQuiz(id, everyKind(0, "best", "never"));
    String neo = attendee(id, "neo");
    JsonObject neverAttempt = attempt(id, never, neo, new JsonObject()).json().getJsonObject("attempt");
    assertThat(neverAttempt.containsKey("answers")).isFalse();
    assertThat(neverAttempt.encode()).doesNotContain(SECRET_ANSWER);

    String afterSubmit = putQuiz(id, everyKind(1, "best", "after-submit"));
    JsonObject revealed = attempt(id, afterSubmit, neo, new JsonObject()).json().getJsonObject("attempt");
    assertThat(revealed.getJsonObject("answers")).isEqualTo(new JsonObject()
      .put("single", new JsonArray().add("c2")).put("multiple", new JsonArray().add("c1").add("c3"))
      .put("short", new JsonArray().add(SECRET_ANSWER).add("event loop")));

    String afterLast = putQuiz(id, everyKind(2, "best", "after-last-attempt"));
    JsonObject first = attempt(id, afterLast, neo, new JsonObject()).json().getJsonObject("attempt");
    assertThat(first.containsKey("answers")).isFalse();
    assertThat(http.get("/api/codelabs/" + id + "/quizzes/" + afterLast + "/attempts", neo).text())
      .doesNotContain(SECRET_ANSWER);
    JsonObject second = attempt(id, afterLast, neo, new JsonObject()).json().getJsonObject("attempt");
    assertThat(second.getJsonObject("answers").getJsonArray("single")).containsExactly("c2");
    assertThat(http.get("/api/codelabs/" + id + "/quizzes/" + afterLast + "/attempts", neo).text())
      .contains(SECRET_ANSWER);
  }

  @Test
  @DisplayName("before submitting, no GET an attendee may call and no replayed event holds an answer key")
  void noAnswerKeyBeforeSubmitting() {
    String id = codelab(admin);
    String quizId = putQuiz(id, everyKind(1, "best", "after-submit"));
    String neo = attendee(id, "neo");
    String trinity = attendee(id, "trinity");
    assertThat(attempt(id, quizId, trinity, allRight()).status()).as("another attendee's revealed attempt").isEqualTo(201);
    http.put("/api/codelabs/" + id + "/feedback", trinity, new JsonObject().put("difficulty", 2).put("satisfaction", 4));

    JsonObject quizzes = http.get("/api/codelabs/" + id + "/quizzes", neo).json();
    JsonObject question = quizzes.getJsonArray("quizzes").getJsonObject(0).getJsonArray("questions").getJsonObject(0);
    assertThat(question.getString("promptHtml")).contains("Which <strong>one</strong>?");
    assertThat(question.getJsonArray("choices")).hasSize(3);
    for (String path : List.of("/quizzes", "", "/events?after=0", "/quizzes/" + quizId + "/attempts", "/completion",
      "/feedback", "/attendees", "/chat", "/announcements", "/materials", "/submissions", "/help")) {
      Response response = http.get("/api/codelabs/" + id + path, neo);
      assertThat(response.text()).as(path).doesNotContain(SECRET_ANSWER).doesNotContain("\"correct\"")
        .doesNotContain("\"accepted\"").doesNotContain("I liked it");
    }
    assertThat(http.get("/api/codelabs/" + id + "/results", neo).status()).isEqualTo(403);
    assertThat(http.get("/api/codelabs/" + id + "/results.csv", neo).status()).isEqualTo(403);
    assertThat(http.put("/api/codelabs/" + id + "/quizzes", neo, new JsonObject().put("quizzes", new JsonArray()))
      .status()).isEqualTo(403);
    assertThat(http.get("/api/codelabs/" + id + "/quizzes", admin).text()).contains(SECRET_ANSWER);
  }

  @Test
  @DisplayName("replacing quizzes keeps sent ids, makes new ones, drops the missing and checks answer keys")
  void replaceQuizzes() {
    String id = codelab(admin);
    String quizId = putQuiz(id, everyKind(1, "best", "never"));
    String other = codelab(admin);
    String foreign = putQuiz(other, everyKind(1, "best", "never"));
    Response put = http.put("/api/codelabs/" + id + "/quizzes", admin, new JsonObject().put("quizzes", new JsonArray()
      .add(everyKind(1, "last", "never").put("id", quizId)).add(everyKind(1, "best", "never").put("id", foreign))));
    JsonArray quizzes = put.json().getJsonArray("quizzes");
    assertThat(quizzes.getJsonObject(0).getString("id")).isEqualTo(quizId);
    assertThat(quizzes.getJsonObject(0).getString("scoring")).isEqualTo("last");
    assertThat(quizzes.getJsonObject(1).getString("id")).isNotEqualTo(foreign);

    JsonObject twoCorrect = everyKind(1, "best", "never");
    twoCorrect.getJsonArray("questions").getJsonObject(0).put("correct", new JsonArray().add("c1").add("c2"));
    JsonObject unknownChoice = everyKind(1, "best", "never");
    unknownChoice.getJsonArray("questions").getJsonObject(1).put("correct", new JsonArray().add("c9"));
    JsonObject noAccepted = everyKind(1, "best", "never");
    noAccepted.getJsonArray("questions").getJsonObject(2).put("accepted", new JsonArray());
    for (JsonObject bad : List.of(twoCorrect, unknownChoice, noAccepted, everyKind(11, "best", "never"),
      everyKind(1, "most", "never"), everyKind(1, "best", "always"))) {
      assertThat(http.put("/api/codelabs/" + id + "/quizzes", admin, new JsonObject().put("quizzes",
        new JsonArray().add(bad))).status()).as(bad.encode()).isEqualTo(400);
    }
    assertThat(http.get("/api/codelabs/" + id + "/quizzes", admin).json().getJsonArray("quizzes")).hasSize(2);

    Response copy = http.post("/api/codelabs/" + id + "/copy", admin, new JsonObject());
    JsonArray copied = http.get("/api/codelabs/" + copy.json().getString("id") + "/quizzes", admin).json()
      .getJsonArray("quizzes");
    assertThat(copied).hasSize(2);
    assertThat(copied.getJsonObject(0).getString("id")).isNotEqualTo(quizId);
    assertThat(copied.getJsonObject(0).getJsonArray("questions")).isEqualTo(quizzes.getJsonObject(0)
      .getJsonArray("questions"));
  }
}

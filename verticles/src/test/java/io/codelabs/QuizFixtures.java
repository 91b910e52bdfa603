package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A quiz with one question of every kind, and the calls that write and answer it. */
public final class QuizFixtures {
  /** An accepted answer no other text contains, to find any leak of the answer key in a response. */
  public static final String SECRET_ANSWER = "Zebra Loop";

  private QuizFixtures() {
  }

  public static JsonObject choice(String id, String text) {
    return new JsonObject().put("id", id).put("text", text);
  }

  /** One question of every kind: single (c2), multiple (c1 and c3), short (accepted list) and free. */
  public static JsonObject everyKind(int attempts, String scoring, String reveal) {
    return new JsonObject().put("title", "Check").put("step", 2).put("attempts", attempts).put("scoring", scoring)
      .put("reveal", reveal).put("questions", new JsonArray()
        .add(new JsonObject().put("id", "single").put("kind", "single").put("prompt", "Which **one**?")
          .put("choices", new JsonArray().add(choice("c1", "One")).add(choice("c2", "Two")).add(choice("c3", "Three")))
          .put("correct", new JsonArray().add("c2")))
        .add(new JsonObject().put("id", "multiple").put("kind", "multiple").put("prompt", "Which odd ones?")
          .put("choices", new JsonArray().add(choice("c1", "One")).add(choice("c2", "Two")).add(choice("c3", "Three")))
          .put("correct", new JsonArray().add("c1").add("c3")))
        .add(new JsonObject().put("id", "short").put("kind", "short").put("prompt", "What runs handlers?")
          .put("points", 2).put("accepted", new JsonArray().add(SECRET_ANSWER).add("event loop")))
        .add(new JsonObject().put("id", "free").put("kind", "free").put("prompt", "Anything to add?")));
  }

  public static String putQuiz(Http http, String token, String codelabId, JsonObject quiz) {
    Response put = http.put("/api/codelabs/" + codelabId + "/quizzes", token,
      new JsonObject().put("quizzes", new JsonArray().add(quiz)));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    return put.json().getJsonArray("quizzes").getJsonObject(0).getString("id");
  }

  public static JsonObject allRight() {
    return new JsonObject().put("single", new JsonArray().add("c2")).put("multiple", new JsonArray().add("c3").add("c1"))
      .put("short", "  ＺＥＢＲＡ\u3000 loop ").put("free", "I liked it");
  }

  public static Response attempt(Http http, String codelabId, String quizId, String token, JsonObject answers) {
    return http.post("/api/codelabs/" + codelabId + "/quizzes/" + quizId + "/attempts", token,
      new JsonObject().put("answers", answers));
  }

}

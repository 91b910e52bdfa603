package io.codelabs.bridge;

import static io.codelabs.BridgeClient.event;
import static io.codelabs.QuizFixtures.SECRET_ANSWER;
import static io.codelabs.QuizFixtures.allRight;
import static io.codelabs.QuizFixtures.everyKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.NodeTestBase;
import io.codelabs.QuizFixtures;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Quiz attempts and feedback sent by sockets: graded by the writer, answered and announced without answer keys. */
@DisplayName("Quizzes and feedback over the realtime bridge")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuizBridgeTest extends NodeTestBase {
  private Sockets client;
  private String codelabId;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = BridgeClient.client(vertx);
    codelabId = codelab(admin);
  }

  private BridgeClient connect(String token, String... addresses) {
    return BridgeClient.listening(client, node.bridgePort, token, codelabId, addresses);
  }

  private BridgeClient attendeeSocket(JsonObject joined) {
    return connect(joined.getString("token"), Address.PUBLIC_EVENTS.of(codelabId),
      Address.INBOX_EVENTS.of(codelabId, joined.getJsonObject("attendee").getString("id")));
  }

  @Test
  @DisplayName("a socket's attempt is graded like a REST one, once per eventId; the inbox gets quiz.graded, facilitators quiz.submitted")
  void attemptOverTheBridge() {
    String quizId = QuizFixtures.putQuiz(http, admin, codelabId, everyKind(2, "best", "never"));
    BridgeClient facilitator = connect(admin, Address.FACILITATOR_EVENTS.of(codelabId));
    JsonObject joined = http.join(codelabId, "neo", "code-neo");
    BridgeClient neo = attendeeSocket(joined);

    JsonObject command = new JsonObject().put("eventId", "quiz-attempt-1").put("quizId", quizId).put("answers", allRight());
    JsonObject reply = neo.request(Address.QUIZ_SUBMIT.address, command).await();
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
    JsonObject attempt = reply.getJsonObject("body").getJsonObject("attempt");
    assertThat(attempt.getInteger("percent")).isEqualTo(100);
    assertThat(attempt.getJsonArray("questions").stream().map(q -> ((JsonObject) q).getValue("correct")))
      .containsExactly(true, true, true, null);
    assertThat(reply.encode()).doesNotContain(SECRET_ANSWER);

    JsonObject retried = neo.request(Address.QUIZ_SUBMIT.address, command).await().getJsonObject("body");
    assertThat(retried.getBoolean("duplicate")).isTrue();
    assertThat(retried.getJsonObject("attempt")).isEqualTo(attempt);
    String otherQuiz = QuizFixtures.putQuiz(http, admin, codelab(admin), everyKind(1, "best", "never"));
    assertThat(neo.request(Address.QUIZ_SUBMIT.address, command.copy().put("quizId", otherQuiz)).await()
      .getInteger("failureCode")).as("the key reused for another quiz").isEqualTo(ErrorCode.CONFLICT.code);
    JsonObject graded = neo.next(event("quiz.graded")).await().getJsonObject("body");
    assertThat(graded.getJsonObject("data").getJsonObject("attempt")).isEqualTo(attempt);
    JsonObject submitted = facilitator.next(event("quiz.submitted")).await().getJsonObject("body").getJsonObject("data");
    assertThat(submitted.getString("quizId")).isEqualTo(quizId);
    assertThat(submitted.getInteger("number")).isEqualTo(1);
    assertThat(submitted.getBoolean("passed")).isTrue();

    neo.request(Address.QUIZ_SUBMIT.address, new JsonObject().put("quizId", quizId).put("answers", new JsonObject()))
      .await();
    JsonObject refused = neo.request(Address.QUIZ_SUBMIT.address, new JsonObject().put("quizId", quizId)
      .put("answers", new JsonObject())).await();
    assertThat(refused.getInteger("failureCode")).isEqualTo(ErrorCode.CONFLICT.code);
    assertThat(http.get("/api/codelabs/" + codelabId + "/quizzes/" + quizId + "/attempts", joined.getString("token"))
      .json().getJsonArray("attempts")).hasSize(2);
  }

  @Test
  @DisplayName("malformed attempts and feedback from sockets fail with the invalid-input code, as over REST")
  void invalidInput() {
    String quizId = QuizFixtures.putQuiz(http, admin, codelabId, everyKind(0, "best", "never"));
    BridgeClient neo = attendeeSocket(http.join(codelabId, "neo", "code-neo"));
    for (JsonObject bad : new JsonObject[] {
      new JsonObject().put("quizId", quizId),
      new JsonObject().put("quizId", quizId).put("answers", "all of them"),
      new JsonObject().put("quizId", quizId).put("answers", new JsonObject().put("single", 7)),
      new JsonObject().put("answers", new JsonObject())}) {
      assertThat(neo.request(Address.QUIZ_SUBMIT.address, bad).await().getInteger("failureCode")).as(bad.encode())
        .isEqualTo(ErrorCode.INVALID.code);
    }
    assertThat(neo.request(Address.FEEDBACK_GIVE.address, new JsonObject().put("difficulty", 0).put("satisfaction", 3))
      .await().getInteger("failureCode")).isEqualTo(ErrorCode.INVALID.code);
    BridgeClient facilitator = connect(admin);
    assertThat(facilitator.request(Address.QUIZ_SUBMIT.address, new JsonObject().put("codelabId", codelabId)
      .put("quizId", quizId).put("answers", new JsonObject())).await().getInteger("failureCode"))
      .isEqualTo(ErrorCode.FORBIDDEN.code);
  }

  @Test
  @DisplayName("feedback from a socket is stored, editable and told to the facilitators only")
  void feedbackOverTheBridge() {
    BridgeClient facilitator = connect(admin, Address.FACILITATOR_EVENTS.of(codelabId));
    JsonObject joined = http.join(codelabId, "neo", "code-neo");
    BridgeClient neo = attendeeSocket(joined);
    JsonObject reply = neo.request(Address.FEEDBACK_GIVE.address, new JsonObject().put("difficulty", 2)
      .put("satisfaction", 5).put("comment", "Loved it")).await().getJsonObject("body");
    assertThat(reply.getJsonObject("feedback").getString("comment")).isEqualTo("Loved it");
    assertThat(reply.getJsonObject("completion").getJsonObject("feedback").getBoolean("given")).isTrue();
    neo.request(Address.FEEDBACK_GIVE.address, new JsonObject().put("difficulty", 3).put("satisfaction", 4)).await();
    assertThat(facilitator.next(event("feedback.given")).await().getJsonObject("body").getJsonObject("data")
      .getJsonObject("feedback").getString("comment")).isEqualTo("Loved it");
    assertThat(http.get("/api/codelabs/" + codelabId + "/feedback", joined.getString("token")).json()
      .getJsonObject("feedback").getInteger("difficulty")).isEqualTo(3);
    JsonObject replay = neo.request(Address.EVENTS_SINCE.address, new JsonObject().put("after", 0)).await();
    assertThat(replay.encode()).contains("attendee.joined").doesNotContain("feedback.given");
    assertThat(neo.unmatched()).noneMatch(frame -> frame.encode().contains("feedback.given"));
  }

  @Test
  @DisplayName("quizzes.updated reaches sockets live and in replay without any answer key")
  void quizzesUpdatedWithoutAnswers() {
    BridgeClient neo = attendeeSocket(http.join(codelabId, "neo", "code-neo"));
    QuizFixtures.putQuiz(http, admin, codelabId, everyKind(1, "best", "after-submit"));
    JsonObject live = neo.next(event("quizzes.updated")).await().getJsonObject("body");
    JsonArray questions = live.getJsonObject("data").getJsonArray("quizzes").getJsonObject(0).getJsonArray("questions");
    assertThat(questions).hasSize(4);
    assertThat(live.encode()).doesNotContain(SECRET_ANSWER).doesNotContain("\"correct\"").doesNotContain("\"accepted\"");
    JsonObject replay = neo.request(Address.EVENTS_SINCE.address, new JsonObject().put("after", 0)).await();
    assertThat(replay.encode()).contains("quizzes.updated").doesNotContain(SECRET_ANSWER)
      .doesNotContain("\"correct\"").doesNotContain("\"accepted\"");
  }
}

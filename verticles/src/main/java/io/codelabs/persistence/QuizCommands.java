package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Quizzes written by facilitators, attempts graded here (the only place answers are compared), and feedback. */
final class QuizCommands {
  static final String QUIZ_COLUMNS = "id, title, step, attempts, scoring, reveal, questions FROM quizzes";
  static final String ATTEMPT_COLUMNS = """
    t.quiz_id AS quizId, t.attendee_id AS attendeeId, a.nickname, t.number, t.score, t.max_score AS maxScore,
    t.percent, t.passed = 1 AS passed, t.answers, t.results, t.submitted_at AS submittedAt
    FROM quiz_attempts t JOIN attendees a ON a.id = t.attendee_id""";
  static final String FEEDBACK_COLUMNS = """
    f.attendee_id AS attendeeId, a.nickname, f.difficulty, f.satisfaction, f.comment, f.created_at AS createdAt,
    f.updated_at AS at FROM feedback f JOIN attendees a ON a.id = f.attendee_id""";
  static final int MAX_COMMENT = 2000;

  private QuizCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.QUIZZES_REPLACE, QuizCommands::replaceQuizzes);
    commands.put(Address.QUIZ_SUBMIT, QuizCommands::submitAttempt);
    commands.put(Address.FEEDBACK_GIVE, QuizCommands::giveFeedback);
  }

  static JsonObject replaceQuizzes(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    JsonArray given = given(body);
    int stepCount = tx.one("SELECT count(*) AS n FROM steps WHERE codelab_id = ?", codelabId).getInteger("n");
    Set<String> existing = new HashSet<>();
    tx.all("SELECT id FROM quizzes WHERE codelab_id = ?", codelabId).forEach(row -> existing.add(row.getString("id")));
    Set<String> kept = new HashSet<>();
    List<JsonObject> quizzes = new ArrayList<>();
    for (Object value : given) {
      if (!(value instanceof JsonObject quiz)) {
        throw ErrorCode.INVALID.failure("Each quiz must be an object");
      }
      // An id is kept only if it is one of this codelab's quizzes: ids of other codelabs' quizzes are never taken over.
      String id = quiz.getValue("id") instanceof String sent && existing.contains(sent) && kept.add(sent)
        ? sent : tx.newId();
      quizzes.add(Quizzes.checked(quiz, id, stepCount));
    }
    for (String id : existing) {
      if (!kept.contains(id)) {
        tx.update("DELETE FROM quizzes WHERE id = ?", id);
      }
    }
    upsert(tx, codelabId, quizzes);
    tx.audit(actor, "quizzes.replace", codelabId, new JsonObject().put("count", quizzes.size()));
    long seq = tx.emit(EventType.QUIZZES_UPDATED).in(codelabId).by(actor).toEveryone().with(new JsonObject()
      .put("quizzes", new JsonArray(quizzes.stream().map(Quizzes::forAttendees).toList())));
    Completion.reassessAll(tx, codelabId);
    return tx.eventful(seq, false).put("quizzes", new JsonArray(quizzes));
  }

  /** The quizzes a command sends, before each is checked. */
  static JsonArray given(JsonObject body) {
    if (!(body.getValue("quizzes") instanceof JsonArray given) || given.size() > Quizzes.MAX_QUIZZES) {
      throw ErrorCode.INVALID.failure("quizzes must be a list of at most " + Quizzes.MAX_QUIZZES);
    }
    return given;
  }

  /** Stores checked quizzes in the order given: new ones inserted, existing ones of the codelab updated. */
  static void upsert(Tx tx, String codelabId, List<JsonObject> quizzes) throws SQLException {
    for (int position = 0; position < quizzes.size(); position++) {
      JsonObject quiz = quizzes.get(position);
      tx.update("""
        INSERT INTO quizzes (id, codelab_id, position, title, step, attempts, scoring, reveal, questions)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position,
          title = excluded.title, step = excluded.step, attempts = excluded.attempts, scoring = excluded.scoring,
          reveal = excluded.reveal, questions = excluded.questions""",
        quiz.getString("id"), codelabId, position, quiz.getString("title"), quiz.getInteger("step"),
        quiz.getInteger("attempts"), quiz.getString("scoring"), quiz.getString("reveal"),
        quiz.getJsonArray("questions").encode());
    }
  }

  static JsonObject submitAttempt(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
    if (seen != null) {
      JsonObject attempt = earlier(tx, codelabId, seen, "attempt");
      if (!attempt.getString("quizId").equals(body.getString("quizId"))) {
        throw ErrorCode.CONFLICT.failure("This eventId is already used for another quiz");
      }
      return tx.eventful(seen, true).put("attempt", attempt)
        .put("completion", Completion.reassess(tx, codelabId, actor.id()));
    }
    requireOpen(tx, codelabId);
    JsonObject quiz = quiz(tx, codelabId, body.getString("quizId"));
    JsonObject answers = Quizzes.checkedAnswers(quiz, body.getValue("answers"));
    int used = tx.one("SELECT count(*) AS n FROM quiz_attempts WHERE quiz_id = ? AND attendee_id = ?",
      quiz.getString("id"), actor.id()).getInteger("n");
    int allowed = quiz.getInteger("attempts");
    if (allowed > 0 && used >= allowed) {
      throw ErrorCode.CONFLICT.failure("No attempts left at this quiz (" + allowed + " allowed)");
    }
    Quizzes.Graded graded = Quizzes.grade(quiz, answers);
    int passMark = Completion.Rules.of(tx.one("SELECT completion FROM codelabs WHERE id = ?", codelabId)
      .getString("completion")).passMark();
    boolean passed = graded.percent() >= passMark;
    int number = used + 1;
    tx.update("""
      INSERT INTO quiz_attempts (quiz_id, attendee_id, number, codelab_id, score, max_score, percent, passed, answers,
        results, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
      quiz.getString("id"), actor.id(), number, codelabId, graded.score(), graded.maxScore(), graded.percent(),
      passed, answers.encode(), graded.questions().encode(), tx.now);
    JsonObject attempt = attempt(quiz.getString("id"), number, graded.score(), graded.maxScore(), graded.percent(),
      passed, tx.now, graded.questions());
    if (Quizzes.reveals(quiz, number)) {
      attempt.put("answers", Quizzes.answerKey(quiz));
    }
    tx.emit(EventType.QUIZ_SUBMITTED).in(codelabId).by(actor).toFacilitators().with(new JsonObject()
      .put("attendeeId", actor.id()).put("nickname", actor.name()).put("quizId", quiz.getString("id"))
      .put("number", number).put("percent", graded.percent()).put("passed", passed));
    long seq = tx.emit(EventType.QUIZ_GRADED).in(codelabId).by(actor).toInboxOf(actor.id()).forRequest(eventId)
      .with(new JsonObject().put("attempt", attempt));
    return tx.eventful(seq, false).put("attempt", attempt)
      .put("completion", Completion.reassess(tx, codelabId, actor.id()));
  }

  static JsonObject attempt(String quizId, int number, Number score, Number maxScore, int percent, boolean passed,
                            long submittedAt, JsonArray questions) {
    return new JsonObject().put("quizId", quizId).put("number", number).put("score", score.intValue())
      .put("maxScore", maxScore.intValue()).put("percent", percent).put("passed", passed)
      .put("submittedAt", submittedAt).put("questions", questions);
  }

  static JsonObject giveFeedback(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
    if (seen != null) {
      return tx.eventful(seen, true).put("feedback", earlier(tx, codelabId, seen, "feedback"))
        .put("completion", Completion.reassess(tx, codelabId, actor.id()));
    }
    requireOpen(tx, codelabId);
    int difficulty = Input.integer(body, "difficulty", 1, 5);
    int satisfaction = Input.integer(body, "satisfaction", 1, 5);
    String comment = Input.optionalText(body, "comment", MAX_COMMENT, "");
    tx.update("""
      INSERT INTO feedback (attendee_id, codelab_id, difficulty, satisfaction, comment, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (attendee_id) DO UPDATE SET difficulty = excluded.difficulty,
        satisfaction = excluded.satisfaction, comment = excluded.comment, updated_at = excluded.updated_at""",
      actor.id(), codelabId, difficulty, satisfaction, comment, tx.now, tx.now);
    JsonObject feedback = tx.one("SELECT " + FEEDBACK_COLUMNS + " WHERE f.attendee_id = ?", actor.id());
    long seq = tx.emit(EventType.FEEDBACK_GIVEN).in(codelabId).by(actor).toFacilitators().forRequest(eventId)
      .with(new JsonObject().put("feedback", feedback));
    return tx.eventful(seq, false).put("feedback", feedback)
      .put("completion", Completion.reassess(tx, codelabId, actor.id()));
  }

  /** What the first try of a retried command answered; a key first used for another kind of request conflicts. */
  private static JsonObject earlier(Tx tx, String codelabId, long seq, String field) throws SQLException {
    JsonObject earlier = tx.eventData(codelabId, seq).getJsonObject(field);
    if (earlier == null) {
      throw ErrorCode.CONFLICT.failure("This eventId is already used for another request");
    }
    return earlier;
  }

  /** An archived codelab is over: its quizzes and feedback are closed, while joins may close long before. */
  private static void requireOpen(Tx tx, String codelabId) throws SQLException {
    if (tx.one("SELECT archived FROM codelabs WHERE id = ?", codelabId).getInteger("archived") == 1) {
      throw ErrorCode.FORBIDDEN.failure("This codelab is closed");
    }
  }

  private static JsonObject quiz(Tx tx, String codelabId, String quizId) throws SQLException {
    JsonObject row = tx.one("SELECT " + QUIZ_COLUMNS + " WHERE id = ? AND codelab_id = ?", quizId, codelabId);
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure("No quiz " + quizId + " in this codelab");
    }
    return row.put("questions", new JsonArray(row.getString("questions")));
  }
}

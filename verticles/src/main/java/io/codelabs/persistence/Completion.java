package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Whether an attendee completed a codelab, decided only here from the rules its facilitators set:
 * what a client claims never completes anyone. The writer reassesses after every write that can
 * change the answer; the first time every rule holds, the completion is recorded for good.
 */
final class Completion {
  private static final String FACTS_COLUMNS = """
    SELECT a.id AS attendeeId, a.nickname, c.completion AS rules,
      (SELECT count(*) FROM steps s WHERE s.codelab_id = a.codelab_id) AS stepsTotal,
      (SELECT count(*) FROM step_completions sc JOIN steps s ON s.codelab_id = a.codelab_id AND s.position = sc.step
        WHERE sc.attendee_id = a.id) AS stepsDone,
      EXISTS (SELECT 1 FROM feedback f WHERE f.attendee_id = a.id) AS feedbackGiven,
      EXISTS (SELECT 1 FROM submissions s WHERE s.attendee_id = a.id) AS handedIn,
      (SELECT k.completed_at FROM completions k WHERE k.attendee_id = a.id) AS completedAt
    FROM attendees a JOIN codelabs c ON c.id = a.codelab_id""";
  /** One row about an attendee: params attendee id, codelab id. */
  static final String FACTS = FACTS_COLUMNS + " WHERE a.id = ? AND a.codelab_id = ?";
  /** One row per attendee of a codelab, in joining order: param codelab id. */
  static final String FACTS_OF_CODELAB = FACTS_COLUMNS + " WHERE a.codelab_id = ? ORDER BY a.joined_at";

  /** The percent that counts per quiz (its best or its last attempt, as the quiz says); params attendee, attendee, codelab. */
  static final String QUIZ_SCORES = """
    SELECT q.id AS quizId, CASE q.scoring
      WHEN 'best' THEN (SELECT max(t.percent) FROM quiz_attempts t WHERE t.quiz_id = q.id AND t.attendee_id = ?)
      ELSE (SELECT t.percent FROM quiz_attempts t WHERE t.quiz_id = q.id AND t.attendee_id = ?
        ORDER BY t.number DESC LIMIT 1) END AS percent
    FROM quizzes q WHERE q.codelab_id = ? ORDER BY q.position""";
  /** The percent that counts per attendee and quiz of a codelab: param codelab id. */
  static final String QUIZ_SCORES_OF_CODELAB = """
    SELECT a.id AS attendeeId, q.id AS quizId, CASE q.scoring
      WHEN 'best' THEN (SELECT max(t.percent) FROM quiz_attempts t WHERE t.quiz_id = q.id AND t.attendee_id = a.id)
      ELSE (SELECT t.percent FROM quiz_attempts t WHERE t.quiz_id = q.id AND t.attendee_id = a.id
        ORDER BY t.number DESC LIMIT 1) END AS percent
    FROM attendees a JOIN quizzes q ON q.codelab_id = a.codelab_id WHERE a.codelab_id = ? ORDER BY q.position""";

  private Completion() {
  }

  /** The completion rules of a codelab; a rule the facilitator never set has its default. */
  record Rules(boolean allSteps, boolean quiz, int passMark, boolean feedback, boolean submission) {
    static final Rules DEFAULT = new Rules(true, false, 70, false, false);

    static Rules of(String stored) {
      return DEFAULT.with(stored == null ? new JsonObject() : new JsonObject(stored));
    }

    /** These rules with the given fields changed, each checked. */
    Rules with(JsonObject changes) {
      return new Rules(
        Input.flag(changes, "allSteps", allSteps),
        Input.flag(changes, "quiz", quiz),
        changes.getValue("passMark") == null ? passMark : Input.integer(changes, "passMark", 0, 100),
        Input.flag(changes, "feedback", feedback),
        Input.flag(changes, "submission", submission));
    }

    JsonObject toJson() {
      return new JsonObject().put("allSteps", allSteps).put("quiz", quiz).put("passMark", passMark)
        .put("feedback", feedback).put("submission", submission);
    }
  }

  static boolean isComplete(Tx tx, String attendeeId) throws SQLException {
    return tx.one("SELECT 1 AS complete FROM completions WHERE attendee_id = ?", attendeeId) != null;
  }

  /**
   * Records the completion and tells the facilitators and the attendee the first time every rule
   * holds; answers the attendee's completion state either way.
   */
  static JsonObject reassess(Tx tx, String codelabId, String attendeeId) throws SQLException {
    JsonObject facts = facts(tx, codelabId, attendeeId);
    JsonObject state = state(facts, tx.all(QUIZ_SCORES, attendeeId, attendeeId, codelabId));
    if (state.getBoolean("complete") || !state.getJsonArray("missing").isEmpty()) {
      return state;
    }
    tx.update("INSERT INTO completions (attendee_id, codelab_id, completed_at) VALUES (?, ?, ?)",
      attendeeId, codelabId, tx.now);
    String nickname = facts.getString("nickname");
    Actor attendee = Actor.attendee(attendeeId, codelabId, nickname);
    JsonObject data = new JsonObject().put("attendeeId", attendeeId).put("nickname", nickname)
      .put("completedAt", tx.now);
    tx.emit(EventType.ATTENDEE_COMPLETED).in(codelabId).by(attendee).toFacilitators().with(data);
    tx.emit(EventType.COMPLETION_REACHED).in(codelabId).by(attendee).toInboxOf(attendeeId).with(data.copy());
    return state.put("complete", true).put("completedAt", tx.now);
  }

  private static JsonObject facts(Tx tx, String codelabId, String attendeeId) throws SQLException {
    JsonObject facts = tx.one(FACTS, attendeeId, codelabId);
    if (facts == null) {
      throw ErrorCode.NOT_FOUND.failure("No attendee " + attendeeId + " in this codelab");
    }
    return facts;
  }

  /** After the rules, steps or quizzes changed: every attendee not yet complete may be now. */
  static void reassessAll(Tx tx, String codelabId) throws SQLException {
    for (JsonObject attendee : tx.all("SELECT a.id FROM attendees a WHERE a.codelab_id = ? "
      + "AND NOT EXISTS (SELECT 1 FROM completions k WHERE k.attendee_id = a.id)", codelabId)) {
      reassess(tx, codelabId, attendee.getString("id"));
    }
  }

  /** The completion state from the attendee's facts and the percent that counts per quiz. */
  static JsonObject state(JsonObject facts, List<JsonObject> quizScores) {
    Rules rules = Rules.of(facts.getString("rules"));
    int stepsTotal = number(facts, "stepsTotal");
    int stepsDone = number(facts, "stepsDone");
    boolean feedbackGiven = number(facts, "feedbackGiven") == 1;
    boolean handedIn = number(facts, "handedIn") == 1;
    Long completedAt = facts.getLong("completedAt");
    boolean everyQuizTaken = !quizScores.isEmpty() && quizScores.stream().allMatch(q -> q.getValue("percent") != null);
    Integer lowestPercent = everyQuizTaken
      ? quizScores.stream().map(q -> number(q, "percent")).min(Integer::compare).orElseThrow()
      : null;
    // Without any quiz the rule cannot hold: completions recorded before the quiz exists would be for good.
    boolean quizPassed = lowestPercent != null && lowestPercent >= rules.passMark;
    JsonArray missing = new JsonArray();
    if (completedAt == null) {
      if (rules.allSteps && stepsDone < stepsTotal) {
        missing.add("steps");
      }
      if (rules.quiz && !quizPassed) {
        missing.add("quiz");
      }
      if (rules.feedback && !feedbackGiven) {
        missing.add("feedback");
      }
      if (rules.submission && !handedIn) {
        missing.add("submission");
      }
    }
    return new JsonObject()
      .put("complete", completedAt != null)
      .put("completedAt", completedAt)
      .put("rules", rules.toJson())
      .put("missing", missing)
      .put("steps", new JsonObject().put("done", stepsDone).put("total", stepsTotal))
      .put("quiz", new JsonObject().put("required", rules.quiz).put("passed", quizPassed)
        .put("percent", lowestPercent).put("passMark", rules.passMark))
      .put("feedback", new JsonObject().put("required", rules.feedback).put("given", feedbackGiven))
      .put("submission", new JsonObject().put("required", rules.submission).put("handedIn", handedIn));
  }

  private static int number(JsonObject row, String field) {
    return ((Number) Objects.requireNonNull(row.getValue(field), field)).intValue();
  }
}

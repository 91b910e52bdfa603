package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads of quizzes, attempts, feedback and results: attendees only ever their own, never an answer key unrevealed. */
final class QuizQueries {
  private static final int COMMON_WRONG = 5;

  private final ReadQueries reads;

  QuizQueries(ReadQueries reads) {
    this.reads = reads;
  }

  void addTo(Map<Address, Function<JsonObject, Future<JsonObject>>> queries) {
    queries.put(Address.QUIZ_LIST, this::listQuizzes);
    queries.put(Address.QUIZ_ATTEMPTS, this::listAttempts);
    queries.put(Address.FEEDBACK_GET, this::getFeedback);
    queries.put(Address.RESULTS_GET, this::results);
  }

  private Future<JsonObject> listQuizzes(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return reads.access(actor, id).compose(access -> {
      access.requireParticipant();
      Future<List<JsonObject>> quizzes = quizzes(id);
      if (access.isFacilitator()) {
        return quizzes.map(list -> new JsonObject().put("quizzes", new JsonArray(list)));
      }
      Future<List<JsonObject>> attempts = reads.rows("SELECT " + QuizCommands.ATTEMPT_COLUMNS
        + " WHERE t.codelab_id = ? AND t.attendee_id = ? ORDER BY t.number", id, actor.id());
      Future<Integer> passMark = passMark(id);
      return Future.all(quizzes, attempts, passMark).map(done -> {
        JsonArray visible = new JsonArray();
        for (JsonObject quiz : quizzes.result()) {
          List<JsonObject> mine = attempts.result().stream()
            .filter(attempt -> attempt.getString("quizId").equals(quiz.getString("id"))).toList();
          visible.add(Quizzes.forAttendees(quiz).put("mine", mine(quiz, mine, passMark.result())));
        }
        return new JsonObject().put("quizzes", visible);
      });
    });
  }

  private static JsonObject mine(JsonObject quiz, List<JsonObject> attempts, int passMark) {
    int allowed = quiz.getInteger("attempts");
    Integer best = attempts.stream().map(attempt -> attempt.getInteger("percent")).max(Integer::compare).orElse(null);
    Integer last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).getInteger("percent");
    Integer counting = "best".equals(quiz.getString("scoring")) ? best : last;
    return new JsonObject()
      .put("attemptsUsed", attempts.size())
      .put("attemptsLeft", allowed == 0 ? null : Math.max(0, allowed - attempts.size()))
      .put("bestPercent", best)
      .put("lastPercent", last)
      .put("passed", counting != null && counting >= passMark);
  }

  private Future<JsonObject> listAttempts(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    String quizId = body.getString("quizId");
    return reads.access(actor, id).compose(access -> {
      access.requireParticipant();
      Future<JsonObject> quiz = reads.one("SELECT " + QuizCommands.QUIZ_COLUMNS + " WHERE id = ? AND codelab_id = ?",
        quizId, id).map(row -> quizJson(ReadQueries.required(row, "No quiz " + quizId + " in this codelab")));
      String sql = "SELECT " + QuizCommands.ATTEMPT_COLUMNS + " WHERE t.quiz_id = ?";
      Future<List<JsonObject>> attempts = access.isFacilitator()
        ? reads.rows(sql + " ORDER BY t.submitted_at, t.number", quizId)
        : reads.rows(sql + " AND t.attendee_id = ? ORDER BY t.number", quizId, actor.id());
      return Future.all(quiz, attempts).map(done -> {
        JsonArray list = new JsonArray(attempts.result().stream().map(QuizQueries::attemptJson).toList());
        if (!access.isFacilitator() && Quizzes.reveals(quiz.result(), list.size())) {
          JsonObject key = Quizzes.answerKey(quiz.result());
          list.forEach(attempt -> ((JsonObject) attempt).put("answers", key.copy()));
        }
        return new JsonObject().put("attempts", list);
      });
    });
  }

  private static JsonObject attemptJson(JsonObject row) {
    return QuizCommands.attempt(row.getString("quizId"), row.getInteger("number"), (Number) row.getValue("score"),
        (Number) row.getValue("maxScore"), row.getInteger("percent"), bool(row, "passed"), row.getLong("submittedAt"),
        new JsonArray(row.getString("results")))
      .put("attendeeId", row.getString("attendeeId"))
      .put("nickname", row.getString("nickname"))
      .put("given", new JsonObject(row.getString("answers")));
  }

  private Future<JsonObject> getFeedback(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return reads.access(actor, id).compose(access -> {
      access.requireParticipant();
      if (!access.isFacilitator()) {
        return reads.one("SELECT " + QuizCommands.FEEDBACK_COLUMNS + " WHERE f.attendee_id = ? AND f.codelab_id = ?",
          actor.id(), id).map(row -> new JsonObject().put("feedback",
          ReadQueries.required(row, "You have given no feedback yet")));
      }
      return feedback(id).map(rows -> new JsonObject().put("summary", summary(rows))
        .put("comments", new JsonArray(rows.stream().filter(row -> !row.getString("comment").isBlank())
          .map(row -> new JsonObject().put("nickname", row.getString("nickname"))
            .put("comment", row.getString("comment")).put("difficulty", row.getInteger("difficulty"))
            .put("satisfaction", row.getInteger("satisfaction")).put("at", row.getLong("at")))
          .toList())));
    });
  }

  static JsonObject summary(List<JsonObject> feedback) {
    return new JsonObject().put("count", feedback.size())
      .put("difficulty", distribution(feedback, "difficulty"))
      .put("satisfaction", distribution(feedback, "satisfaction"));
  }

  private static JsonObject distribution(List<JsonObject> feedback, String field) {
    JsonObject counts = new JsonObject();
    for (int value = 1; value <= 5; value++) {
      int rating = value;
      counts.put(Integer.toString(value), feedback.stream().filter(row -> row.getInteger(field) == rating).count());
    }
    Double mean = feedback.isEmpty() ? null
      : Math.round(feedback.stream().mapToInt(row -> row.getInteger(field)).average().orElseThrow() * 100) / 100.0;
    return counts.put("mean", mean);
  }

  private Future<JsonObject> results(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    return reads.access(actor, id).compose(access -> {
      access.requireFacilitator();
      Future<List<JsonObject>> quizzes = quizzes(id);
      Future<List<JsonObject>> attempts = reads.rows("SELECT " + QuizCommands.ATTEMPT_COLUMNS
        + " WHERE t.codelab_id = ? ORDER BY t.number", id);
      Future<List<JsonObject>> feedback = feedback(id);
      Future<List<JsonObject>> facts = reads.rows(Completion.FACTS_OF_CODELAB, id);
      Future<List<JsonObject>> scores = reads.rows(Completion.QUIZ_SCORES_OF_CODELAB, id);
      Future<List<JsonObject>> steps = reads.rows("SELECT position, title FROM steps WHERE codelab_id = ? "
        + "ORDER BY position", id);
      Future<List<JsonObject>> durations = reads.rows("SELECT sc.attendee_id AS attendeeId, sc.step, "
        + "sc.duration_ms AS ms FROM step_completions sc JOIN attendees a ON a.id = sc.attendee_id "
        + "WHERE a.codelab_id = ?", id);
      Future<Integer> passMark = passMark(id);
      Future<List<JsonObject>> certificates = reads.rows("SELECT attendee_id AS attendeeId, id FROM certificates "
        + "WHERE codelab_id = ?", id);
      return Future.all(List.of(quizzes, attempts, feedback, facts, scores, steps, durations, passMark, certificates))
        .compose(done -> reads.fold(() -> new Results(quizzes.result(), attempts.result(), feedback.result(),
          facts.result(), scores.result(), steps.result(), durations.result(), passMark.result(),
          certificates.result()).json()));
    });
  }

  /** The facilitators' view of a codelab's outcome, from its rows. */
  private record Results(List<JsonObject> quizzes, List<JsonObject> attempts, List<JsonObject> feedback,
                         List<JsonObject> facts, List<JsonObject> scores, List<JsonObject> steps,
                         List<JsonObject> durations, int passMark, List<JsonObject> certificates) {

    JsonObject json() {
      Map<String, List<JsonObject>> scoresByAttendee = scores.stream()
        .collect(Collectors.groupingBy(row -> row.getString("attendeeId")));
      List<JsonObject> states = facts.stream().map(row -> Completion.state(row,
        scoresByAttendee.getOrDefault(row.getString("attendeeId"), List.of()))
        .put("attendeeId", row.getString("attendeeId")).put("nickname", row.getString("nickname"))).toList();
      Map<String, Map<Integer, Long>> millisByAttendee = new HashMap<>();
      durations.stream().filter(row -> row.getValue("ms") != null).forEach(row -> millisByAttendee
        .computeIfAbsent(row.getString("attendeeId"), key -> new HashMap<>())
        .put(row.getInteger("step"), row.getLong("ms")));
      Map<String, JsonObject> feedbackByAttendee = feedback.stream()
        .collect(Collectors.toMap(row -> row.getString("attendeeId"), row -> row));
      JsonArray missing = new JsonArray(states.stream().filter(state -> !state.getBoolean("complete"))
        .map(state -> new JsonObject().put("attendeeId", state.getString("attendeeId"))
          .put("nickname", state.getString("nickname")).put("missing", state.getJsonArray("missing")))
        .toList());
      return new JsonObject()
        .put("quizzes", new JsonArray(quizzes.stream().map(this::quizResults).toList()))
        .put("feedback", summary(feedback))
        .put("completion", new JsonObject()
          .put("complete", states.stream().filter(state -> state.getBoolean("complete")).count())
          .put("attendees", states.size())
          .put("missing", missing))
        .put("steps", new JsonArray(steps))
        .put("attendees", new JsonArray(states.stream().map(state -> attendeeRow(state, scoresByAttendee,
          millisByAttendee, feedbackByAttendee)).toList()));
    }

    private JsonObject quizResults(JsonObject quiz) {
      String quizId = quiz.getString("id");
      List<JsonObject> ofQuiz = attempts.stream().filter(attempt -> attempt.getString("quizId").equals(quizId)).toList();
      List<JsonObject> counting = counting(quiz, ofQuiz).stream().map(attempt -> attempt.copy()
        .put("answers", new JsonObject(attempt.getString("answers")))
        .put("results", new JsonArray(attempt.getString("results")))).toList();
      JsonArray questions = new JsonArray();
      for (Object value : quiz.getJsonArray("questions")) {
        questions.add(questionResults((JsonObject) value, counting));
      }
      return new JsonObject().put("quizId", quizId).put("title", quiz.getString("title"))
        .put("attempts", ofQuiz.size())
        .put("attendees", counting.size())
        .put("passed", counting.stream().filter(attempt -> attempt.getInteger("percent") >= passMark).count())
        .put("questions", questions);
    }

    /** Per attendee the attempt that counts: its best (the later one on a tie) or its last. */
    private static List<JsonObject> counting(JsonObject quiz, List<JsonObject> attempts) {
      Comparator<JsonObject> order = "best".equals(quiz.getString("scoring"))
        ? Comparator.<JsonObject>comparingInt(attempt -> attempt.getInteger("percent"))
          .thenComparingInt(attempt -> attempt.getInteger("number"))
        : Comparator.comparingInt(attempt -> attempt.getInteger("number"));
      return new ArrayList<>(attempts.stream().collect(Collectors.toMap(attempt -> attempt.getString("attendeeId"),
        attempt -> attempt, (a, b) -> order.compare(a, b) >= 0 ? a : b, LinkedHashMap::new)).values());
    }

    private static JsonObject questionResults(JsonObject question, List<JsonObject> counting) {
      String questionId = question.getString("id");
      String kind = question.getString("kind");
      JsonObject result = new JsonObject().put("questionId", questionId).put("prompt", question.getString("prompt"))
        .put("kind", kind);
      int right = 0;
      int wrong = 0;
      Map<String, Integer> wrongAnswers = new HashMap<>();
      JsonArray freeAnswers = new JsonArray();
      for (JsonObject attempt : counting) {
        Object given = attempt.getJsonObject("answers").getValue(questionId);
        boolean correct = attempt.getJsonArray("results").stream().map(JsonObject.class::cast)
          .anyMatch(entry -> questionId.equals(entry.getString("questionId"))
            && Boolean.TRUE.equals(entry.getValue("correct")));
        if (kind.equals("free")) {
          if (given instanceof String text && !text.isBlank()) {
            freeAnswers.add(new JsonObject().put("nickname", attempt.getString("nickname")).put("answer", text.strip()));
          }
        } else if (correct) {
          right++;
        } else {
          wrong++;
          wrongAnswers.merge(shown(question, given), 1, Integer::sum);
        }
      }
      if (kind.equals("free")) {
        return result.put("freeAnswers", freeAnswers);
      }
      return result.put("right", right).put("wrong", wrong).put("commonWrong", new JsonArray(wrongAnswers.entrySet()
        .stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(COMMON_WRONG)
        .map(entry -> new JsonObject().put("answer", entry.getKey()).put("count", entry.getValue())).toList()));
    }

    /** An answer as a facilitator reads it: the chosen choices' texts, or the text typed; empty when unanswered. */
    private static String shown(JsonObject question, Object given) {
      if (given instanceof String text) {
        return text.strip();
      }
      if (!(given instanceof JsonArray chosen) || !question.containsKey("choices")) {
        return "";
      }
      return question.getJsonArray("choices").stream().map(JsonObject.class::cast)
        .filter(choice -> chosen.contains(choice.getString("id")))
        .map(choice -> choice.getString("text")).collect(Collectors.joining(", "));
    }

    private JsonObject attendeeRow(JsonObject state, Map<String, List<JsonObject>> scoresByAttendee,
                                   Map<String, Map<Integer, Long>> millisByAttendee,
                                   Map<String, JsonObject> feedbackByAttendee) {
      String attendeeId = state.getString("attendeeId");
      Map<Integer, Long> millis = millisByAttendee.getOrDefault(attendeeId, Map.of());
      JsonArray seconds = new JsonArray();
      for (JsonObject step : steps) {
        Long ms = millis.get(step.getInteger("position"));
        seconds.add(ms == null ? null : ms / 1000);
      }
      JsonObject percents = new JsonObject();
      scoresByAttendee.getOrDefault(attendeeId, List.of())
        .forEach(score -> percents.put(score.getString("quizId"), score.getValue("percent")));
      JsonObject given = feedbackByAttendee.get(attendeeId);
      return new JsonObject().put("attendeeId", attendeeId).put("nickname", state.getString("nickname"))
        .put("stepsDone", state.getJsonObject("steps").getInteger("done"))
        .put("stepSeconds", seconds)
        .put("quizPercents", percents)
        .put("difficulty", given == null ? null : given.getInteger("difficulty"))
        .put("satisfaction", given == null ? null : given.getInteger("satisfaction"))
        .put("comment", given == null ? null : given.getString("comment"))
        .put("complete", state.getBoolean("complete"))
        .put("completedAt", state.getValue("completedAt"))
        .put("certificateId", certificates.stream().filter(row -> row.getString("attendeeId").equals(attendeeId))
          .map(row -> row.getString("id")).findFirst().orElse(null));
    }
  }

  private Future<List<JsonObject>> quizzes(String codelabId) {
    return reads.rows("SELECT " + QuizCommands.QUIZ_COLUMNS + " WHERE codelab_id = ? ORDER BY position", codelabId)
      .map(rows -> rows.stream().map(QuizQueries::quizJson).toList());
  }

  private Future<List<JsonObject>> feedback(String codelabId) {
    return reads.rows("SELECT " + QuizCommands.FEEDBACK_COLUMNS + " WHERE f.codelab_id = ? ORDER BY f.updated_at",
      codelabId);
  }

  private Future<Integer> passMark(String codelabId) {
    return reads.one("SELECT completion FROM codelabs WHERE id = ?", codelabId)
      .map(row -> Completion.Rules.of(row.getString("completion")).passMark());
  }

  private static JsonObject quizJson(JsonObject row) {
    return row.put("questions", new JsonArray(row.getString("questions")));
  }

  private static boolean bool(JsonObject row, String field) {
    return ((Number) row.getValue(field)).intValue() == 1;
  }
}

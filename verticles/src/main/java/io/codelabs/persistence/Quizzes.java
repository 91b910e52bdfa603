package io.codelabs.persistence;

import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Quizzes as facilitators write them (answer keys included), the view attendees get (never an
 * answer key), and grading, which only the writer does.
 */
final class Quizzes {
  static final int MAX_QUIZZES = 50;
  static final int MAX_QUESTIONS = 100;
  static final int MAX_CHOICES = 20;
  static final int MAX_ACCEPTED = 20;
  static final int MAX_ATTEMPTS = 10;
  static final int MAX_FREE_ANSWER = 2000;
  static final Set<String> KINDS = Set.of("single", "multiple", "short", "free");
  static final Set<String> SCORING = Set.of("best", "last");
  static final Set<String> REVEAL = Set.of("never", "after-submit", "after-last-attempt");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SPACE = Pattern.compile("[\\s\\p{Z}]+");

  private Quizzes() {
  }

  /** A quiz as stored, checked field by field; ids are kept when valid, else made here. */
  static JsonObject checked(JsonObject quiz, String id, int stepCount) {
    JsonObject checked = new JsonObject()
      .put("id", id)
      .put("title", Input.text(quiz, "title", 1, 200))
      .put("step", quiz.getValue("step") == null ? null : Input.integer(quiz, "step", 0, Math.max(0, stepCount - 1)))
      .put("attempts", quiz.getValue("attempts") == null ? 1 : Input.integer(quiz, "attempts", 0, MAX_ATTEMPTS))
      .put("scoring", choice(quiz, "scoring", SCORING, "best"))
      .put("reveal", choice(quiz, "reveal", REVEAL, "after-submit"));
    JsonArray questions = array(quiz, "questions", 1, MAX_QUESTIONS);
    JsonArray checkedQuestions = new JsonArray();
    Set<String> questionIds = new HashSet<>();
    for (int i = 0; i < questions.size(); i++) {
      JsonObject question = object(questions.getValue(i), "questions[" + i + "]");
      String questionId = idOr(question.getValue("id"), "q" + (i + 1), questionIds);
      checkedQuestions.add(question(question, questionId));
    }
    return checked.put("questions", checkedQuestions);
  }

  private static JsonObject question(JsonObject question, String id) {
    String kind = choice(question, "kind", KINDS, null);
    Input.text(question, "prompt", 1, 5000);
    JsonObject checked = new JsonObject().put("id", id).put("kind", kind)
      .put("prompt", question.getString("prompt"))
      .put("promptHtml", Input.text(question, "promptHtml", 0, 50_000))
      .put("points", kind.equals("free") ? 0 : question.getValue("points") == null ? 1
        : Input.integer(question, "points", 0, 100));
    switch (kind) {
      case "single", "multiple" -> {
        JsonArray choices = array(question, "choices", 2, MAX_CHOICES);
        JsonArray checkedChoices = new JsonArray();
        Set<String> choiceIds = new HashSet<>();
        for (int i = 0; i < choices.size(); i++) {
          JsonObject choice = object(choices.getValue(i), "choices[" + i + "]");
          checkedChoices.add(new JsonObject().put("id", idOr(choice.getValue("id"), "c" + (i + 1), choiceIds))
            .put("text", Input.text(choice, "text", 1, 500)));
        }
        Set<String> correct = new LinkedHashSet<>();
        for (Object value : array(question, "correct", 1, MAX_CHOICES)) {
          if (!(value instanceof String choiceId) || !choiceIds.contains(choiceId) || !correct.add(choiceId)) {
            throw ErrorCode.INVALID.failure("correct of question " + id + " must name its choices, each once");
          }
        }
        if (kind.equals("single") && correct.size() != 1) {
          throw ErrorCode.INVALID.failure("A single-choice question has exactly one correct choice (" + id + ")");
        }
        checked.put("choices", checkedChoices).put("correct", new JsonArray(List.copyOf(correct)));
      }
      case "short" -> {
        JsonArray accepted = new JsonArray();
        JsonArray given = array(question, "accepted", 1, MAX_ACCEPTED);
        for (int i = 0; i < given.size(); i++) {
          accepted.add(Input.text(new JsonObject().put("accepted", given.getValue(i)), "accepted", 1, 200));
        }
        checked.put("accepted", accepted);
      }
      default -> {
      }
    }
    return checked;
  }

  /** What attendees see of a quiz: everything but the answer keys, listed field by field so none slips through. */
  static JsonObject forAttendees(JsonObject quiz) {
    JsonArray questions = new JsonArray();
    for (Object value : quiz.getJsonArray("questions")) {
      JsonObject question = (JsonObject) value;
      JsonObject visible = new JsonObject().put("id", question.getString("id")).put("kind", question.getString("kind"))
        .put("prompt", question.getString("prompt")).put("promptHtml", question.getString("promptHtml"))
        .put("points", question.getInteger("points"));
      if (question.containsKey("choices")) {
        visible.put("choices", question.getJsonArray("choices").copy());
      }
      questions.add(visible);
    }
    return new JsonObject().put("id", quiz.getString("id")).put("title", quiz.getString("title"))
      .put("step", quiz.getValue("step")).put("attempts", quiz.getInteger("attempts"))
      .put("scoring", quiz.getString("scoring")).put("reveal", quiz.getString("reveal")).put("questions", questions);
  }

  /** The answer key of every graded question, for an attempt whose quiz reveals it. */
  static JsonObject answerKey(JsonObject quiz) {
    JsonObject key = new JsonObject();
    for (Object value : quiz.getJsonArray("questions")) {
      JsonObject question = (JsonObject) value;
      switch (question.getString("kind")) {
        case "single", "multiple" -> key.put(question.getString("id"), question.getJsonArray("correct").copy());
        case "short" -> key.put(question.getString("id"), question.getJsonArray("accepted").copy());
        default -> {
        }
      }
    }
    return key;
  }

  /** Whether the answers may be shown once the attendee has used this many attempts. */
  static boolean reveals(JsonObject quiz, int attemptsUsed) {
    int allowed = quiz.getInteger("attempts");
    return switch (quiz.getString("reveal")) {
      case "after-submit" -> attemptsUsed > 0;
      case "after-last-attempt" -> allowed > 0 && attemptsUsed >= allowed;
      default -> false;
    };
  }

  /** A graded attempt: per question right, wrong or not graded, and the score. */
  record Graded(JsonArray questions, int score, int maxScore, int percent) {
  }

  /** The answers as sent, checked against the quiz: only its question ids, choices as lists, texts as text. */
  static JsonObject checkedAnswers(JsonObject quiz, Object value) {
    if (!(value instanceof JsonObject answers)) {
      throw ErrorCode.INVALID.failure("answers must be an object of question id to answer");
    }
    Set<String> questionIds = new HashSet<>();
    quiz.getJsonArray("questions").forEach(question -> questionIds.add(((JsonObject) question).getString("id")));
    JsonObject checked = new JsonObject();
    for (String questionId : answers.fieldNames()) {
      if (!questionIds.contains(questionId)) {
        throw ErrorCode.INVALID.failure("The quiz has no question " + questionId);
      }
      Object answer = answers.getValue(questionId);
      if (answer instanceof String text) {
        if (text.length() > MAX_FREE_ANSWER) {
          throw ErrorCode.INVALID.failure("An answer has at most " + MAX_FREE_ANSWER + " characters");
        }
        checked.put(questionId, text);
      } else if (answer instanceof JsonArray list && list.size() <= MAX_CHOICES
        && list.stream().allMatch(item -> item instanceof String id && id.length() <= 64)) {
        checked.put(questionId, list.copy());
      } else if (answer != null) {
        throw ErrorCode.INVALID.failure("The answer to " + questionId + " must be text or a list of choice ids");
      }
    }
    return checked;
  }

  static Graded grade(JsonObject quiz, JsonObject answers) {
    JsonArray results = new JsonArray();
    int score = 0;
    int maxScore = 0;
    for (Object value : quiz.getJsonArray("questions")) {
      JsonObject question = (JsonObject) value;
      String id = question.getString("id");
      Boolean right = switch (question.getString("kind")) {
        case "single", "multiple" -> sameChoices(question.getJsonArray("correct"), answers.getValue(id));
        case "short" -> accepted(question.getJsonArray("accepted"), answers.getValue(id));
        default -> null;
      };
      if (right != null) {
        int points = question.getInteger("points");
        maxScore += points;
        score += right ? points : 0;
      }
      results.add(new JsonObject().put("questionId", id).put("correct", right));
    }
    // Rounded down, so a score just short of the pass mark never rounds up to it.
    int percent = maxScore == 0 ? 100 : score * 100 / maxScore;
    return new Graded(results, score, maxScore, percent);
  }

  /** Exactly the correct choices: a partly right multiple choice is wrong. A lone id counts as a list of one. */
  private static boolean sameChoices(JsonArray correct, Object answer) {
    JsonArray given = answer instanceof String single ? new JsonArray().add(single)
      : answer instanceof JsonArray list ? list : new JsonArray();
    return new HashSet<>(given.getList()).equals(new HashSet<>(correct.getList())) && given.size() == correct.size();
  }

  private static boolean accepted(JsonArray accepted, Object answer) {
    if (!(answer instanceof String text) || comparable(text).isEmpty()) {
      return false;
    }
    String given = comparable(text);
    return accepted.stream().anyMatch(candidate -> comparable((String) candidate).equals(given));
  }

  /** Short answers compare in NFKC, case-folded, with every kind of space removed. */
  static String comparable(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return SPACE.matcher(folded).replaceAll("");
  }

  private static String choice(JsonObject json, String field, Set<String> allowed, String fallback) {
    String value = fallback == null ? Input.text(json, field, 1, 40) : Input.optionalText(json, field, 40, fallback);
    if (!allowed.contains(value)) {
      throw ErrorCode.INVALID.failure(field + " must be one of " + allowed);
    }
    return value;
  }

  private static JsonArray array(JsonObject json, String field, int min, int max) {
    if (!(json.getValue(field) instanceof JsonArray array) || array.size() < min || array.size() > max) {
      throw ErrorCode.INVALID.failure(field + " must be a list of " + min + " to " + max + " items");
    }
    return array;
  }

  private static JsonObject object(Object value, String where) {
    if (!(value instanceof JsonObject json)) {
      throw ErrorCode.INVALID.failure(where + " must be an object");
    }
    return json;
  }

  private static String idOr(Object given, String fallback, Set<String> taken) {
    String id = given instanceof String text && ID.matcher(text).matches() && !taken.contains(text) ? text : fallback;
    while (!taken.add(id)) {
      id = fallback + "-" + taken.size();
    }
    return id;
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Codelabs, their steps and their assistants, changed by the owner. */
final class CodelabCommands {
  static final int MAX_STEPS = 200;
  private static final int MAX_MARKDOWN = 200_000;
  /** An import's files, one per entry of its ZIP at most. */
  private static final int MAX_IMPORTED_MATERIALS = 1_000;
  /** Ids an importer chose: those {@link Tx#newId()} makes. */
  private static final Pattern CHOSEN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private CodelabCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.CODELAB_CREATE, CodelabCommands::createCodelab);
    commands.put(Address.CODELAB_UPDATE, CodelabCommands::updateCodelab);
    commands.put(Address.CODELAB_DELETE, CodelabCommands::deleteCodelab);
    commands.put(Address.CODELAB_COPY, CodelabCommands::copyCodelab);
    commands.put(Address.CODELAB_IMPORT, CodelabCommands::importCodelab);
    commands.put(Address.STEPS_REPLACE, CodelabCommands::replaceSteps);
    commands.put(Address.STEP_UPDATE, CodelabCommands::updateStep);
    commands.put(Address.ASSISTANT_ADD, CodelabCommands::addAssistant);
    commands.put(Address.ASSISTANT_REMOVE, CodelabCommands::removeAssistant);
  }

  static JsonObject createCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = tx.newId();
    Settings settings = Settings.of(body, null);
    insertCodelab(tx, actor, id, settings, completionRules(body, Completion.Rules.DEFAULT));
    insertSteps(tx, id, steps(body));
    tx.audit(actor, "codelab.create", id, new JsonObject().put("title", settings.title));
    return new JsonObject().put("codelabId", id);
  }

  /**
   * The whole codelab of an import or nothing: its settings, completion rules, steps, quizzes (with new ids) and
   * materials. Its files were stored under the codelab id and material ids the importer chose, so those are checked
   * to be new and well formed here.
   */
  static JsonObject importCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = chosenId(body.getString("codelabId"));
    if (tx.one("SELECT id FROM codelabs WHERE id = ?", id) != null) {
      throw ErrorCode.CONFLICT.failure("A codelab " + id + " exists already");
    }
    Settings settings = Settings.of(body, null);
    Completion.Rules rules = completionRules(body, Completion.Rules.DEFAULT);
    List<JsonObject> steps = steps(body);
    JsonArray materials = body.getJsonArray("materials", new JsonArray());
    if (materials.size() > MAX_IMPORTED_MATERIALS) {
      throw ErrorCode.INVALID.failure("An import has at most " + MAX_IMPORTED_MATERIALS + " files and links");
    }
    List<JsonObject> quizzes = new ArrayList<>();
    if (body.getValue("quizzes") != null) {
      for (Object quiz : QuizCommands.given(body)) {
        if (!(quiz instanceof JsonObject json)) {
          throw ErrorCode.INVALID.failure("Each quiz must be an object");
        }
        quizzes.add(Quizzes.checked(json, tx.newId(), steps.size()));
      }
    }
    insertCodelab(tx, actor, id, settings, rules);
    insertSteps(tx, id, steps);
    QuizCommands.upsert(tx, id, quizzes);
    for (Object listed : materials) {
      if (!(listed instanceof JsonObject material)) {
        throw ErrorCode.INVALID.failure("Each material must be an object");
      }
      FileCommands.Entry entry = FileCommands.Entry.of(material, Set.of("file", "link", "image"));
      if (entry.storageKey() != null && !entry.storageKey().startsWith(id + "/")) {
        throw ErrorCode.INVALID.failure("An imported file must be stored under its codelab's id");
      }
      tx.update("""
        INSERT INTO materials (id, codelab_id, kind, title, url, file_name, content_type, size_bytes, sha256,
          storage_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        chosenId(material.getString("id")), id, entry.kind(), entry.title(), entry.url(), entry.fileName(),
        entry.contentType(), entry.sizeBytes(), entry.sha256(), entry.storageKey(), actor.id(), tx.now);
    }
    tx.audit(actor, "codelab.import", id, new JsonObject().put("title", settings.title)
      .put("steps", steps.size()).put("materials", materials.size()).put("quizzes", quizzes.size()));
    return new JsonObject().put("codelabId", id);
  }

  private static String chosenId(String id) {
    if (id == null || !CHOSEN_ID.matcher(id).matches()) {
      throw ErrorCode.INVALID.failure("Not an id this server makes: " + id);
    }
    return id;
  }

  private static void insertCodelab(Tx tx, Actor actor, String id, Settings settings, Completion.Rules rules) throws SQLException {
    tx.update("""
      INSERT INTO codelabs (id, title, summary, author, categories, visibility, join_code, joins_closed, archived,
        created_at, updated_at, short_code, completion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
      id, settings.title, settings.summary, settings.author, settings.categories.encode(), settings.visibility,
      settings.joinCode, settings.joinsClosed, settings.archived, tx.now, tx.now, tx.newShortCode(),
      rules.toJson().encode());
    tx.update("INSERT INTO codelab_members (codelab_id, facilitator_id, role) VALUES (?, ?, 'owner')", id, actor.id());
  }

  static JsonObject updateCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    JsonObject current = tx.one("""
      SELECT title, summary, author, categories, visibility, join_code AS joinCode, joins_closed AS joinsClosed,
        archived, completion FROM codelabs WHERE id = ?""", id);
    Completion.Rules before = Completion.Rules.of((String) current.remove("completion"));
    Settings settings = Settings.of(body, current);
    Completion.Rules rules = completionRules(body, before);
    tx.update("""
      UPDATE codelabs SET title = ?, summary = ?, author = ?, categories = ?, visibility = ?, join_code = ?,
        joins_closed = ?, archived = ?, completion = ?, updated_at = ? WHERE id = ?""",
      settings.title, settings.summary, settings.author, settings.categories.encode(), settings.visibility,
      settings.joinCode, settings.joinsClosed, settings.archived, rules.toJson().encode(), tx.now, id);
    JsonObject changed = settings.publicJson().put("completion", rules.toJson());
    tx.audit(actor, "codelab.update", id, changed);
    long seq = tx.emit(EventType.CODELAB_UPDATED).in(id).by(actor).toEveryone()
      .with(changed.copy().put("stepsChanged", false));
    if (!rules.equals(before)) {
      Completion.reassessAll(tx, id);
    }
    return tx.eventful(seq, false).put("codelabId", id);
  }

  static JsonObject deleteCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    tx.update("DELETE FROM codelabs WHERE id = ?", id);
    tx.audit(actor, "codelab.delete", id, new JsonObject());
    return new JsonObject().put("codelabId", id);
  }

  static JsonObject copyCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String source = body.getString("codelabId");
    tx.access(actor, source).requireFacilitator();
    String id = tx.newId();
    tx.update("""
      INSERT INTO codelabs (id, title, summary, author, categories, visibility, join_code, joins_closed, archived,
        created_at, updated_at, short_code, completion)
      SELECT ?, substr(title || ' (copy)', 1, 200), summary, author, categories, visibility, join_code, 0, 0, ?, ?, ?,
        completion
      FROM codelabs WHERE id = ?""", id, tx.now, tx.now, tx.newShortCode(), source);
    tx.update("INSERT INTO codelab_members (codelab_id, facilitator_id, role) VALUES (?, ?, 'owner')", id, actor.id());
    insertSteps(tx, id, tx.all("SELECT title, markdown, html, duration_minutes AS durationMinutes FROM steps "
      + "WHERE codelab_id = ? ORDER BY position", source));
    for (JsonObject quiz : tx.all("SELECT position, title, step, attempts, scoring, reveal, questions FROM quizzes "
      + "WHERE codelab_id = ? ORDER BY position", source)) {
      tx.update("INSERT INTO quizzes (id, codelab_id, position, title, step, attempts, scoring, reveal, questions) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", tx.newId(), id, quiz.getInteger("position"), quiz.getString("title"),
        quiz.getInteger("step"), quiz.getInteger("attempts"), quiz.getString("scoring"), quiz.getString("reveal"),
        quiz.getString("questions"));
    }
    tx.audit(actor, "codelab.copy", id, new JsonObject().put("from", source));
    return new JsonObject().put("codelabId", id);
  }

  static JsonObject replaceSteps(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    List<JsonObject> steps = steps(body);
    Map<Integer, Integer> moves = keptSteps(tx, id, steps);
    tx.update("DELETE FROM steps WHERE codelab_id = ?", id);
    for (int position = 0; position < steps.size(); position++) {
      insertStep(tx, id, position, steps.get(position).getString("id", tx.newId()), steps.get(position));
    }
    followSteps(tx, id, moves, steps.size());
    return stepsChanged(tx, actor, id, "steps.replace", new JsonObject().put("count", steps.size()));
  }

  /**
   * Old position to new position of each step the new list keeps, by the id it carries. An id must be one of this
   * codelab's steps and appear once; steps without one are new. A list without any id is read by position, as
   * clients that never send ids expect: step n stays step n.
   */
  private static Map<Integer, Integer> keptSteps(Tx tx, String codelabId, List<JsonObject> steps) throws SQLException {
    Map<String, Integer> current = new HashMap<>();
    for (JsonObject step : tx.all("SELECT id, position FROM steps WHERE codelab_id = ?", codelabId)) {
      current.put(step.getString("id"), step.getInteger("position"));
    }
    Map<Integer, Integer> moves = new HashMap<>();
    if (steps.stream().noneMatch(step -> step.containsKey("id"))) {
      for (int position = 0; position < Math.min(current.size(), steps.size()); position++) {
        moves.put(position, position);
      }
      return moves;
    }
    for (int position = 0; position < steps.size(); position++) {
      String stepId = steps.get(position).getString("id");
      if (stepId == null) {
        continue;
      }
      Integer old = current.remove(stepId);
      if (old == null) {
        throw ErrorCode.INVALID.failure("Step " + (position + 1) + " names a step this codelab does not have, or twice");
      }
      moves.put(old, position);
    }
    return moves;
  }

  /**
   * What hangs on a step by its position goes where its step went: attendees' completions and current steps, help
   * requests, polls, a known issue, a quiz checkpoint, the hold. A deleted step takes its completions and known issue
   * with it, its checkpoint moves to the end; whatever else pointed at it keeps its number, within the new steps.
   */
  /** The column's new position where its step moved, else the old one; positions are integers, so inlined safely. */
  private static String moved(String column, Map<Integer, Integer> moves) {
    return moves.isEmpty() ? column : "(CASE " + column + " " + moves.entrySet().stream()
      .map(move -> "WHEN " + move.getKey() + " THEN " + move.getValue()).collect(Collectors.joining(" "))
      + " ELSE " + column + " END)";
  }

  private static void followSteps(Tx tx, String codelabId, Map<Integer, Integer> moves, int stepCount)
    throws SQLException {
    String attendees = "attendee_id IN (SELECT id FROM attendees WHERE codelab_id = ?)";
    String kept = moves.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
    tx.update("DELETE FROM step_completions WHERE " + attendees + " AND step NOT IN (" + kept + ")", codelabId);
    // Through negative numbers, so no two completions of one attendee share a step on the way.
    tx.update("UPDATE step_completions SET step = -1 - " + moved("step", moves) + " WHERE " + attendees, codelabId);
    tx.update("UPDATE step_completions SET step = -1 - step WHERE step < 0 AND " + attendees, codelabId);
    String last = String.valueOf(Math.max(0, stepCount - 1));
    tx.update("UPDATE attendees SET current_step = min(" + moved("current_step", moves) + ", " + last + ") "
      + "WHERE codelab_id = ?", codelabId);
    tx.update("UPDATE help_requests SET step = min(" + moved("step", moves) + ", " + last + ") WHERE codelab_id = ?",
      codelabId);
    tx.update("UPDATE pulse_polls SET step = min(" + moved("step", moves) + ", " + last + ") WHERE codelab_id = ?",
      codelabId);
    List<JsonObject> issues = tx.all("SELECT step, text, updated_at AS updatedAt FROM known_issues WHERE codelab_id = ?",
      codelabId);
    tx.update("DELETE FROM known_issues WHERE codelab_id = ?", codelabId);
    for (JsonObject issue : issues) {
      Integer position = moves.get(issue.getInteger("step"));
      if (position != null) {
        tx.update("INSERT INTO known_issues (codelab_id, step, text, updated_at) VALUES (?, ?, ?, ?)",
          codelabId, position, issue.getString("text"), issue.getLong("updatedAt"));
      }
    }
    for (JsonObject quiz : tx.all("SELECT id, step FROM quizzes WHERE codelab_id = ? AND step IS NOT NULL", codelabId)) {
      tx.update("UPDATE quizzes SET step = ? WHERE id = ?", moves.get(quiz.getInteger("step")), quiz.getString("id"));
    }
    Integer held = tx.one("SELECT held_at_step AS step FROM codelabs WHERE id = ?", codelabId).getInteger("step");
    if (held != null && moves.containsKey(held)) {
      tx.update("UPDATE codelabs SET held_at_step = ? WHERE id = ?", moves.get(held), codelabId);
    }
  }

  static JsonObject updateStep(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    int position = Input.integer(body, "position", 0, MAX_STEPS - 1);
    checkStep(body);
    int changed = tx.update("UPDATE steps SET title = ?, markdown = ?, html = ?, duration_minutes = ? "
        + "WHERE codelab_id = ? AND position = ?",
      body.getString("title").strip(), body.getString("markdown"), body.getString("html"),
      body.getInteger("durationMinutes"), id, position);
    if (changed == 0) {
      throw ErrorCode.NOT_FOUND.failure("No step " + position);
    }
    return stepsChanged(tx, actor, id, "step.update", new JsonObject().put("position", position));
  }

  private static JsonObject stepsChanged(Tx tx, Actor actor, String id, String action, JsonObject detail)
    throws SQLException {
    tx.update("UPDATE codelabs SET updated_at = ? WHERE id = ?", tx.now, id);
    tx.audit(actor, action, id, detail);
    JsonArray outline = new JsonArray(tx.all("SELECT position, id, title, duration_minutes AS durationMinutes "
      + "FROM steps WHERE codelab_id = ? ORDER BY position", id));
    long seq = tx.emit(EventType.CODELAB_UPDATED).in(id).by(actor).toEveryone()
      .with(detail.copy().put("stepsChanged", true).put("steps", outline));
    Completion.reassessAll(tx, id);
    return tx.eventful(seq, false).put("codelabId", id);
  }

  static JsonObject addAssistant(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    String username = Input.text(body, "username", 1, 64);
    JsonObject facilitator = tx.one("SELECT id, username, display_name AS displayName FROM facilitators "
      + "WHERE username = ?", username);
    if (facilitator == null) {
      throw ErrorCode.NOT_FOUND.failure("No facilitator " + username);
    }
    if (tx.one("SELECT role FROM codelab_members WHERE codelab_id = ? AND facilitator_id = ?", id,
      facilitator.getString("id")) != null) {
      throw ErrorCode.CONFLICT.failure(username + " is already a facilitator of this codelab");
    }
    tx.update("INSERT INTO codelab_members (codelab_id, facilitator_id, role) VALUES (?, ?, 'assistant')",
      id, facilitator.getString("id"));
    tx.audit(actor, "assistant.add", id, new JsonObject().put("facilitatorId", facilitator.getString("id")));
    return facilitator.put("role", "assistant");
  }

  static JsonObject removeAssistant(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    String facilitatorId = body.getString("facilitatorId");
    if (tx.update("DELETE FROM codelab_members WHERE codelab_id = ? AND facilitator_id = ? AND role = 'assistant'",
      id, facilitatorId) == 0) {
      throw ErrorCode.NOT_FOUND.failure("No assistant " + facilitatorId + " in this codelab");
    }
    tx.audit(actor, "assistant.remove", id, new JsonObject().put("facilitatorId", facilitatorId));
    return new JsonObject().put("facilitatorId", facilitatorId);
  }

  private static Completion.Rules completionRules(JsonObject body, Completion.Rules current) {
    Object changes = body.getValue("completion");
    if (changes == null) {
      return current;
    }
    if (!(changes instanceof JsonObject json)) {
      throw ErrorCode.INVALID.failure("completion must be an object");
    }
    return current.with(json);
  }

  private static List<JsonObject> steps(JsonObject body) {
    JsonArray steps = body.getJsonArray("steps", new JsonArray());
    if (steps.size() > MAX_STEPS) {
      throw ErrorCode.INVALID.failure("A codelab has at most " + MAX_STEPS + " steps");
    }
    return steps.stream().map(step -> {
      if (!(step instanceof JsonObject json)) {
        throw ErrorCode.INVALID.failure("Each step must be an object");
      }
      checkStep(json);
      return json;
    }).toList();
  }

  private static void checkStep(JsonObject step) {
    Input.text(step, "title", 1, 200);
    Input.text(step, "markdown", 0, MAX_MARKDOWN);
    Input.text(step, "html", 0, MAX_MARKDOWN * 4);
    Input.integer(step, "durationMinutes", 0, 24 * 60);
  }

  private static void insertSteps(Tx tx, String codelabId, List<JsonObject> steps) throws SQLException {
    for (int position = 0; position < steps.size(); position++) {
      insertStep(tx, codelabId, position, tx.newId(), steps.get(position));
    }
  }

  private static void insertStep(Tx tx, String codelabId, int position, String stepId, JsonObject step)
    throws SQLException {
    tx.update("INSERT INTO steps (codelab_id, position, id, title, markdown, html, duration_minutes) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
      codelabId, position, stepId, step.getString("title").strip(), step.getString("markdown"),
      step.getString("html"), step.getInteger("durationMinutes"));
  }

  /** A codelab's settings after applying the given fields over the current ones. */
  private record Settings(String title, String summary, String author, JsonArray categories, String visibility,
                          String joinCode, boolean joinsClosed, boolean archived) {

    static Settings of(JsonObject body, JsonObject current) {
      JsonObject base = current == null ? new JsonObject() : current;
      JsonObject merged = base.copy();
      body.fieldNames().forEach(name -> merged.put(name, body.getValue(name)));
      if (merged.getValue("categories") instanceof String encoded) {
        merged.put("categories", new JsonArray(encoded));
      }
      String visibility = Input.optionalText(merged, "visibility", 10, "public");
      if (!visibility.equals("public") && !visibility.equals("private")) {
        throw ErrorCode.INVALID.failure("visibility must be public or private");
      }
      String joinCode = Input.optionalText(merged, "joinCode", 40, null);
      if (visibility.equals("private") && (joinCode == null || joinCode.isBlank())) {
        throw ErrorCode.INVALID.failure("A private codelab needs a joinCode");
      }
      return new Settings(
        Input.text(merged, "title", 1, 200),
        Input.optionalText(merged, "summary", 2000, ""),
        Input.optionalText(merged, "author", 200, ""),
        merged.getJsonArray("categories", new JsonArray()),
        visibility,
        joinCode,
        bool(merged, "joinsClosed"),
        bool(merged, "archived"));
    }

    private static boolean bool(JsonObject json, String field) {
      Object value = json.getValue(field);
      return value instanceof Number number ? number.intValue() == 1 : Input.flag(json, field, false);
    }

    JsonObject publicJson() {
      return new JsonObject().put("title", title).put("summary", summary).put("author", author)
        .put("categories", categories).put("visibility", visibility).put("joinsClosed", joinsClosed)
        .put("archived", archived);
    }
  }
}

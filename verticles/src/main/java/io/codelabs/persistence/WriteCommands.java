package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.persistence.Tx.Stream;
import io.codelabs.tokens.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every write the platform makes, each run by the writer inside the batch transaction. */
final class WriteCommands {
  static final int MAX_STEPS = 200;
  private static final int MAX_MARKDOWN = 200_000;

  private WriteCommands() {
  }

  static Map<Address, Writer.Command> all() {
    Map<Address, Writer.Command> commands = new EnumMap<>(Address.class);
    commands.put(Address.FACILITATOR_BOOTSTRAP, WriteCommands::bootstrapFacilitator);
    commands.put(Address.FACILITATOR_CREATE, WriteCommands::createFacilitator);
    commands.put(Address.FACILITATOR_DISABLE, WriteCommands::setFacilitatorDisabled);
    commands.put(Address.FACILITATOR_PASSWORD, WriteCommands::setFacilitatorPassword);
    commands.put(Address.SESSION_REVOKE, WriteCommands::revokeSessions);
    commands.put(Address.CODELAB_CREATE, WriteCommands::createCodelab);
    commands.put(Address.CODELAB_UPDATE, WriteCommands::updateCodelab);
    commands.put(Address.CODELAB_DELETE, WriteCommands::deleteCodelab);
    commands.put(Address.CODELAB_COPY, WriteCommands::copyCodelab);
    commands.put(Address.STEPS_REPLACE, WriteCommands::replaceSteps);
    commands.put(Address.STEP_UPDATE, WriteCommands::updateStep);
    commands.put(Address.ASSISTANT_ADD, WriteCommands::addAssistant);
    commands.put(Address.ASSISTANT_REMOVE, WriteCommands::removeAssistant);
    commands.put(Address.ATTENDEE_JOIN, WriteCommands::joinAttendee);
    commands.put(Address.PROGRESS_REPORT, WriteCommands::reportProgress);
    commands.put(Address.HELP_REQUEST, WriteCommands::requestHelp);
    commands.put(Address.HELP_CLAIM, (tx, body) -> moveHelp(tx, body, "claimed"));
    commands.put(Address.HELP_RESOLVE, (tx, body) -> moveHelp(tx, body, "resolved"));
    commands.put(Address.CHAT_SEND, WriteCommands::sendChat);
    commands.put(Address.ANNOUNCEMENT_POST, WriteCommands::postAnnouncement);
    commands.put(Address.ANNOUNCEMENT_PIN, WriteCommands::pinAnnouncement);
    commands.put(Address.PRESENCE_UPDATE, WriteCommands::updatePresence);
    commands.put(Address.PRESENCE_HEARTBEAT, WriteCommands::presenceHeartbeat);
    return commands;
  }

  static JsonObject bootstrapFacilitator(Tx tx, JsonObject body) throws SQLException {
    if (tx.one("SELECT id FROM facilitators LIMIT 1") != null) {
      return new JsonObject().put("created", false);
    }
    JsonObject admin = insertFacilitator(tx, body);
    tx.update("UPDATE facilitators SET is_admin = 1 WHERE id = ?", admin.getString("id"));
    return new JsonObject().put("created", true);
  }

  static JsonObject createFacilitator(Tx tx, JsonObject body) throws SQLException {
    Actor actor = requireAdmin(tx, body);
    JsonObject created = insertFacilitator(tx, body);
    tx.audit(actor, "facilitator.create", null, new JsonObject().put("facilitatorId", created.getString("id"))
      .put("username", created.getString("username")));
    return created.put("admin", false).put("disabled", false);
  }

  /** Disabling ends every session of the account at once; enabling lets it sign in again. */
  static JsonObject setFacilitatorDisabled(Tx tx, JsonObject body) throws SQLException {
    Actor actor = requireAdmin(tx, body);
    String facilitatorId = Input.text(body, "facilitatorId", 1, 64);
    boolean disabled = Input.flag(body, "disabled", true);
    JsonObject target = account(tx, facilitatorId);
    if (target.getInteger("admin") == 1) {
      throw ErrorCode.FORBIDDEN.failure("The admin account cannot be disabled");
    }
    tx.update("UPDATE facilitators SET disabled_at = ? WHERE id = ?", disabled ? tx.now : null, facilitatorId);
    JsonObject change = new JsonObject().put("accounts", new JsonArray().add(new JsonObject()
      .put("subject", facilitatorId).put("disabled", disabled).put("at", tx.now)));
    if (disabled) {
      change.put("cutoffs", new JsonArray().add(cutoff(tx, facilitatorId)));
    }
    tx.revoked(change);
    tx.audit(actor, disabled ? "facilitator.disable" : "facilitator.enable", null,
      new JsonObject().put("facilitatorId", facilitatorId).put("username", target.getString("username")));
    return publicAccount(target).put("disabled", disabled);
  }

  /**
   * The account's own new password, or the admin's reset of another's. Either ends the account's
   * sessions issued before now; the caller changing its own password gets a fresh token after this.
   */
  static JsonObject setFacilitatorPassword(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String facilitatorId = Input.text(body, "facilitatorId", 1, 64);
    boolean own = facilitatorId.equals(actor.id());
    if (!own) {
      requireAdmin(tx, body);
    }
    JsonObject target = account(tx, facilitatorId);
    tx.update("UPDATE facilitators SET password_hash = ? WHERE id = ?", Input.text(body, "passwordHash", 20, 500),
      facilitatorId);
    tx.revoked(new JsonObject().put("cutoffs", new JsonArray().add(cutoff(tx, facilitatorId))));
    tx.audit(actor, own ? "facilitator.password-change" : "facilitator.password-reset", null,
      new JsonObject().put("facilitatorId", facilitatorId).put("username", target.getString("username")));
    return publicAccount(target).put("notBefore", tx.now);
  }

  /** Sign-out: the sessions stay refused until their tokens expire; older revocations are pruned here. */
  static JsonObject revokeSessions(Tx tx, JsonObject body) throws SQLException {
    tx.update("DELETE FROM revoked_sessions WHERE expires_at <= ?", tx.now);
    tx.update("DELETE FROM session_cutoffs WHERE not_before < ?", tx.now - Tokens.LONGEST_TTL_S * 1000L);
    JsonArray sessions = new JsonArray();
    for (Object item : body.getJsonArray("sessions", new JsonArray())) {
      if (!(item instanceof JsonObject session)) {
        throw ErrorCode.INVALID.failure("sessions must be objects");
      }
      String sessionId = Input.text(session, "sessionId", 1, 64);
      String subject = Input.text(session, "subject", 1, 64);
      long issuedAt = session.getLong("issuedAt", 0L);
      long expiresAt = session.getLong("expiresAt", 0L);
      if (expiresAt > tx.now) {
        tx.update("INSERT OR IGNORE INTO revoked_sessions (session_id, subject, issued_at, expires_at) VALUES (?, ?, ?, ?)",
          sessionId, subject, issuedAt, expiresAt);
        sessions.add(new JsonObject().put("sessionId", sessionId).put("subject", subject)
          .put("issuedAt", issuedAt).put("expiresAt", expiresAt));
      }
    }
    if (!sessions.isEmpty()) {
      tx.revoked(new JsonObject().put("sessions", sessions));
    }
    return new JsonObject().put("revoked", sessions.size());
  }

  private static JsonObject cutoff(Tx tx, String subject) throws SQLException {
    tx.update("INSERT INTO session_cutoffs (subject, not_before) VALUES (?, ?) "
      + "ON CONFLICT (subject) DO UPDATE SET not_before = max(not_before, excluded.not_before)", subject, tx.now);
    return new JsonObject().put("subject", subject).put("notBefore", tx.now);
  }

  /** Admin status is read here, in the database, never taken from the caller. */
  private static Actor requireAdmin(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    if (tx.one("SELECT 1 AS admin FROM facilitators WHERE id = ? AND is_admin = 1 AND disabled_at IS NULL",
      actor.id()) == null) {
      throw ErrorCode.FORBIDDEN.failure("Only the instance admin may manage facilitator accounts");
    }
    return actor;
  }

  private static JsonObject account(Tx tx, String facilitatorId) throws SQLException {
    JsonObject target = tx.one("SELECT id, username, display_name AS displayName, is_admin AS admin, "
      + "disabled_at AS disabledAt FROM facilitators WHERE id = ?", facilitatorId);
    if (target == null) {
      throw ErrorCode.NOT_FOUND.failure("No facilitator " + facilitatorId);
    }
    return target;
  }

  private static JsonObject publicAccount(JsonObject row) {
    return new JsonObject().put("id", row.getString("id")).put("username", row.getString("username"))
      .put("displayName", row.getString("displayName")).put("admin", row.getInteger("admin") == 1)
      .put("disabled", row.getValue("disabledAt") != null);
  }

  private static JsonObject insertFacilitator(Tx tx, JsonObject body) throws SQLException {
    String username = Input.text(body, "username", 3, 64);
    String displayName = Input.optionalText(body, "displayName", 100, username);
    String passwordHash = Input.text(body, "passwordHash", 20, 500);
    if (tx.one("SELECT id FROM facilitators WHERE username = ?", username) != null) {
      throw ErrorCode.CONFLICT.failure("The username " + username + " is taken");
    }
    String id = Tx.newId();
    tx.update("INSERT INTO facilitators (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
      id, username, displayName, passwordHash, tx.now);
    return new JsonObject().put("id", id).put("username", username).put("displayName", displayName);
  }

  static JsonObject createCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = Tx.newId();
    Settings settings = Settings.of(body, null);
    tx.update("""
      INSERT INTO codelabs (id, title, summary, author, categories, visibility, join_code, joins_closed, archived,
        created_at, updated_at, short_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
      id, settings.title, settings.summary, settings.author, settings.categories.encode(), settings.visibility,
      settings.joinCode, settings.joinsClosed, settings.archived, tx.now, tx.now, tx.newShortCode());
    tx.update("INSERT INTO codelab_members (codelab_id, facilitator_id, role) VALUES (?, ?, 'owner')", id, actor.id());
    insertSteps(tx, id, steps(body));
    tx.audit(actor, "codelab.create", id, new JsonObject().put("title", settings.title));
    return new JsonObject().put("codelabId", id);
  }

  static JsonObject updateCodelab(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    Settings settings = Settings.of(body, tx.one("""
      SELECT title, summary, author, categories, visibility, join_code AS joinCode, joins_closed AS joinsClosed,
        archived FROM codelabs WHERE id = ?""", id));
    tx.update("""
      UPDATE codelabs SET title = ?, summary = ?, author = ?, categories = ?, visibility = ?, join_code = ?,
        joins_closed = ?, archived = ?, updated_at = ? WHERE id = ?""",
      settings.title, settings.summary, settings.author, settings.categories.encode(), settings.visibility,
      settings.joinCode, settings.joinsClosed, settings.archived, tx.now, id);
    tx.audit(actor, "codelab.update", id, settings.publicJson());
    JsonObject event = tx.event(id, Stream.PUBLIC, null, "codelab.updated", null, actor,
      settings.publicJson().put("stepsChanged", false));
    return tx.eventful(event.getLong("seq"), false).put("codelabId", id);
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
    String id = Tx.newId();
    tx.update("""
      INSERT INTO codelabs (id, title, summary, author, categories, visibility, join_code, joins_closed, archived,
        created_at, updated_at, short_code)
      SELECT ?, substr(title || ' (copy)', 1, 200), summary, author, categories, visibility, join_code, 0, 0, ?, ?, ?
      FROM codelabs WHERE id = ?""", id, tx.now, tx.now, tx.newShortCode(), source);
    tx.update("INSERT INTO codelab_members (codelab_id, facilitator_id, role) VALUES (?, ?, 'owner')", id, actor.id());
    insertSteps(tx, id, tx.all("SELECT title, markdown, html, duration_minutes AS durationMinutes FROM steps "
      + "WHERE codelab_id = ? ORDER BY position", source));
    tx.audit(actor, "codelab.copy", id, new JsonObject().put("from", source));
    return new JsonObject().put("codelabId", id);
  }

  static JsonObject replaceSteps(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    tx.access(actor, id).requireOwner();
    List<JsonObject> steps = steps(body);
    tx.update("DELETE FROM steps WHERE codelab_id = ?", id);
    insertSteps(tx, id, steps);
    return stepsChanged(tx, actor, id, "steps.replace", new JsonObject().put("count", steps.size()));
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
    JsonObject event = tx.event(id, Stream.PUBLIC, null, "codelab.updated", null, actor,
      detail.copy().put("stepsChanged", true).put("steps", outline));
    return tx.eventful(event.getLong("seq"), false).put("codelabId", id);
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

  static JsonObject joinAttendee(Tx tx, JsonObject body) throws SQLException {
    String codelabId = body.getString("codelabId");
    String nickname = Nicknames.display(Input.text(body, "nickname", 1, 40));
    if (nickname.isEmpty()) {
      throw ErrorCode.INVALID.failure("nickname must have visible characters");
    }
    String nicknameKey = Nicknames.key(nickname);
    String codeHash = Input.text(body, "codeHash", 20, 500);
    JsonObject codelab = tx.one("SELECT visibility, join_code AS joinCode, joins_closed AS joinsClosed, "
      + "archived FROM codelabs WHERE id = ?", codelabId);
    if (codelab == null) {
      throw ErrorCode.NOT_FOUND.failure("No codelab " + codelabId);
    }
    if (codelab.getInteger("joinsClosed") == 1 || codelab.getInteger("archived") == 1) {
      throw ErrorCode.FORBIDDEN.failure("This codelab is closed to new attendees");
    }
    if ("private".equals(codelab.getString("visibility"))
      && !codelab.getString("joinCode").equals(body.getString("joinCode"))) {
      throw ErrorCode.FORBIDDEN.failure("A valid join code is needed for this codelab");
    }
    if (tx.one("SELECT id FROM attendees WHERE codelab_id = ? AND nickname_key = ?", codelabId, nicknameKey) != null) {
      throw ErrorCode.CONFLICT.failure("The nickname " + nickname + " is taken in this codelab");
    }
    List<String> staffNames = new ArrayList<>();
    for (JsonObject staff : tx.all("SELECT f.username, f.display_name AS displayName FROM codelab_members m "
      + "JOIN facilitators f ON f.id = m.facilitator_id WHERE m.codelab_id = ?", codelabId)) {
      staffNames.add(staff.getString("username"));
      staffNames.add(staff.getString("displayName"));
    }
    Nicknames.requireNotStaff(nicknameKey, staffNames);
    String id = Tx.newId();
    tx.update("""
      INSERT INTO attendees (id, codelab_id, nickname, nickname_key, code_hash, step_started_at, joined_at, last_seen_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", id, codelabId, nickname, nicknameKey, codeHash, tx.now, tx.now, tx.now);
    Actor self = Actor.attendee(id, codelabId, nickname);
    JsonObject attendee = new JsonObject().put("id", id).put("codelabId", codelabId).put("nickname", nickname)
      .put("currentStep", 0).put("completedSteps", new JsonArray());
    JsonObject event = tx.event(codelabId, Stream.PUBLIC, null, "attendee.joined", null, self,
      new JsonObject().put("attendeeId", id).put("nickname", nickname));
    return tx.eventful(event.getLong("seq"), false).put("attendee", attendee);
  }

  /** The most frequent command of a workshop, so its common path reads the attendee, its access and the step count in one query. */
  static JsonObject reportProgress(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    JsonObject attendee = tx.one("""
      SELECT current_step AS currentStep, step_started_at AS startedAt,
        (SELECT count(*) FROM steps WHERE codelab_id = ?) AS stepCount
      FROM attendees WHERE id = ? AND codelab_id = ?""", codelabId, actor.id(), codelabId);
    if (attendee == null || actor.isFacilitator()) {
      tx.access(actor, codelabId).requireAttendee();
    }
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor);
    if (seen != null) {
      return progressReply(tx, actor, attendee.getInteger("currentStep"), seen, true);
    }
    int step = Input.integer(body, "step", 0, Math.max(0, attendee.getInteger("stepCount") - 1));
    boolean completed = Input.flag(body, "completed", false);
    int previous = attendee.getInteger("currentStep");
    Long duration = step == previous ? tx.now - attendee.getLong("startedAt") : null;
    Long seq = null;
    String key = eventId;
    if (step != previous) {
      tx.update("UPDATE attendees SET current_step = ?, step_started_at = ?, last_seen_at = ? WHERE id = ?",
        step, tx.now, tx.now, actor.id());
      seq = tx.event(codelabId, Stream.FACILITATORS, null, "attendee.step-changed", key, actor,
        new JsonObject().put("attendeeId", actor.id()).put("nickname", actor.name()).put("step", step)
          .put("previousStep", previous)).getLong("seq");
      key = null;
    } else {
      tx.update("UPDATE attendees SET last_seen_at = ? WHERE id = ?", tx.now, actor.id());
    }
    if (completed && tx.update("INSERT OR IGNORE INTO step_completions (attendee_id, step, completed_at, duration_ms) "
      + "VALUES (?, ?, ?, ?)", actor.id(), step, tx.now, duration) == 1) {
      Long completedSeq = tx.event(codelabId, Stream.FACILITATORS, null, "attendee.step-completed", key, actor,
        new JsonObject().put("attendeeId", actor.id()).put("nickname", actor.name()).put("step", step))
        .getLong("seq");
      seq = seq == null ? completedSeq : seq;
    }
    return progressReply(tx, actor, step, seq, false);
  }

  private static JsonObject progressReply(Tx tx, Actor actor, int currentStep, Long seq, boolean duplicate)
    throws SQLException {
    return tx.eventful(seq, duplicate)
      .put("currentStep", currentStep)
      .put("completedSteps", tx.ints("SELECT step FROM step_completions WHERE attendee_id = ? ORDER BY step",
        actor.id()));
  }

  static JsonObject requestHelp(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor);
    if (seen != null) {
      return tx.eventful(seen, true).put("help", tx.eventData(codelabId, seen).getJsonObject("help"));
    }
    if (tx.one("SELECT id FROM help_requests WHERE attendee_id = ? AND status <> 'resolved'", actor.id()) != null) {
      throw ErrorCode.CONFLICT.failure("You already have an open help request");
    }
    int step = body.getValue("step") == null
      ? tx.one("SELECT current_step AS s FROM attendees WHERE id = ?", actor.id()).getInteger("s")
      : Input.integer(body, "step", 0, Math.max(0, countSteps(tx, codelabId) - 1));
    String message = Input.optionalText(body, "message", 500, "");
    String id = Tx.newId();
    tx.update("INSERT INTO help_requests (id, codelab_id, attendee_id, step, message, status, created_at) "
      + "VALUES (?, ?, ?, ?, ?, 'open', ?)", id, codelabId, actor.id(), step, message, tx.now);
    JsonObject help = help(tx, id);
    JsonObject event = tx.event(codelabId, Stream.ATTENDEE, actor.id(), "help.requested", eventId, actor,
      new JsonObject().put("help", help));
    return tx.eventful(event.getLong("seq"), false).put("help", help);
  }

  static JsonObject moveHelp(Tx tx, JsonObject body, String status) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String helpId = body.getString("helpId");
    JsonObject current = tx.one("SELECT status, claimed_by AS claimedBy, attendee_id AS attendeeId "
      + "FROM help_requests WHERE id = ? AND codelab_id = ?", helpId, codelabId);
    if (current == null) {
      throw ErrorCode.NOT_FOUND.failure("No help request " + helpId);
    }
    if ("resolved".equals(current.getString("status"))) {
      throw ErrorCode.CONFLICT.failure("This help request is already resolved");
    }
    if ("claimed".equals(status)) {
      if ("claimed".equals(current.getString("status")) && !actor.id().equals(current.getString("claimedBy"))) {
        throw ErrorCode.CONFLICT.failure("Another facilitator has claimed this help request");
      }
      tx.update("UPDATE help_requests SET status = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ?",
        actor.id(), tx.now, helpId);
    } else {
      tx.update("UPDATE help_requests SET status = 'resolved', claimed_by = COALESCE(claimed_by, ?), "
        + "resolved_at = ? WHERE id = ?", actor.id(), tx.now, helpId);
    }
    tx.audit(actor, "help." + status, codelabId, new JsonObject().put("helpId", helpId));
    JsonObject help = help(tx, helpId);
    JsonObject event = tx.event(codelabId, Stream.ATTENDEE, current.getString("attendeeId"), "help." + status,
      null, actor, new JsonObject().put("help", help));
    return tx.eventful(event.getLong("seq"), false).put("help", help);
  }

  static final String HELP_COLUMNS = """
    h.id, h.codelab_id AS codelabId, h.attendee_id AS attendeeId, a.nickname, h.step, h.message, h.status,
    h.claimed_by AS claimedBy, f.display_name AS claimedByName, h.created_at AS createdAt,
    h.claimed_at AS claimedAt, h.resolved_at AS resolvedAt
    FROM help_requests h JOIN attendees a ON a.id = h.attendee_id
    LEFT JOIN facilitators f ON f.id = h.claimed_by""";

  private static JsonObject help(Tx tx, String id) throws SQLException {
    return tx.one("SELECT " + HELP_COLUMNS + " WHERE h.id = ?", id);
  }

  static JsonObject sendChat(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    Access access = tx.access(actor, codelabId).requireParticipant();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor);
    if (seen != null) {
      return tx.eventful(seen, true).put("message", tx.eventData(codelabId, seen).getJsonObject("message"));
    }
    String text = Input.text(body, "text", 1, 2000);
    boolean direct = Input.flag(body, "direct", false);
    String conversation = null;
    if (direct && access == Access.ATTENDEE) {
      conversation = actor.id();
    } else if (direct) {
      conversation = body.getString("attendeeId");
      if (conversation == null || tx.one("SELECT id FROM attendees WHERE id = ? AND codelab_id = ?",
        conversation, codelabId) == null) {
        throw ErrorCode.NOT_FOUND.failure("No attendee " + conversation + " in this codelab");
      }
    }
    String id = Tx.newId();
    tx.update("""
      INSERT INTO chat_messages (id, codelab_id, sender_role, sender_id, sender_name, direct_attendee_id, text,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
      id, codelabId, actor.role().name(), actor.id(), actor.name(), conversation, text, tx.now);
    JsonObject message = new JsonObject().put("id", id).put("codelabId", codelabId)
      .put("senderRole", actor.role().name().toLowerCase()).put("senderId", actor.id())
      .put("senderName", actor.name()).put("direct", direct).put("attendeeId", conversation)
      .put("text", text).put("at", tx.now);
    JsonObject event = direct
      ? tx.event(codelabId, Stream.ATTENDEE, conversation, "chat.posted", eventId, actor,
      new JsonObject().put("message", message))
      : tx.event(codelabId, Stream.PUBLIC, null, "chat.posted", eventId, actor, new JsonObject().put("message", message));
    return tx.eventful(event.getLong("seq"), false).put("message", message);
  }

  static JsonObject postAnnouncement(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor);
    if (seen != null) {
      return tx.eventful(seen, true).put("announcement", tx.eventData(codelabId, seen).getJsonObject("announcement"));
    }
    String text = Input.text(body, "text", 1, 2000);
    boolean pinned = Input.flag(body, "pinned", false);
    String id = Tx.newId();
    tx.update("INSERT INTO announcements (id, codelab_id, author_id, text, pinned, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      id, codelabId, actor.id(), text, pinned, tx.now);
    tx.audit(actor, "announcement.post", codelabId, new JsonObject().put("announcementId", id));
    JsonObject announcement = announcement(tx, id);
    JsonObject event = tx.event(codelabId, Stream.PUBLIC, null, "announcement.posted", eventId, actor,
      new JsonObject().put("announcement", announcement));
    return tx.eventful(event.getLong("seq"), false).put("announcement", announcement);
  }

  static JsonObject pinAnnouncement(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String id = body.getString("announcementId");
    boolean pinned = Input.flag(body, "pinned", true);
    if (tx.update("UPDATE announcements SET pinned = ? WHERE id = ? AND codelab_id = ?", pinned, id, codelabId) == 0) {
      throw ErrorCode.NOT_FOUND.failure("No announcement " + id);
    }
    tx.audit(actor, pinned ? "announcement.pin" : "announcement.unpin", codelabId,
      new JsonObject().put("announcementId", id));
    JsonObject announcement = announcement(tx, id);
    JsonObject event = tx.event(codelabId, Stream.PUBLIC, null, pinned ? "announcement.pinned" : "announcement.unpinned",
      null, actor, new JsonObject().put("announcement", announcement));
    return tx.eventful(event.getLong("seq"), false).put("announcement", announcement);
  }

  /**
   * Counts sockets per attendee and node; the attendee is online while any node holds one.
   * The actor is the attendee the bridge authenticated.
   */
  static JsonObject updatePresence(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String nodeId = Input.text(body, "nodeId", 1, 64);
    int delta = Input.integer(body, "delta", -1, 1);
    if (tx.one("SELECT id FROM attendees WHERE id = ?", actor.id()) == null) {
      throw ErrorCode.NOT_FOUND.failure("No attendee " + actor.id());
    }
    boolean wasOnline = online(tx, actor.id());
    tx.update("""
      INSERT INTO presence (attendee_id, node_id, sockets, seen_at) VALUES (?, ?, max(?, 0), ?)
      ON CONFLICT (attendee_id, node_id) DO UPDATE SET sockets = max(sockets + ?, 0), seen_at = excluded.seen_at""",
      actor.id(), nodeId, delta, tx.now, delta);
    tx.update("DELETE FROM presence WHERE attendee_id = ? AND sockets = 0", actor.id());
    tx.update("UPDATE attendees SET last_seen_at = ? WHERE id = ?", tx.now, actor.id());
    boolean isOnline = online(tx, actor.id());
    if (wasOnline != isOnline) {
      presenceEvent(tx, actor.id(), isOnline);
    }
    return new JsonObject().put("online", isOnline);
  }

  /** Refreshes a node's sockets, and sweeps those of nodes that stopped or went silent. */
  static JsonObject presenceHeartbeat(Tx tx, JsonObject body) throws SQLException {
    String nodeId = Input.text(body, "nodeId", 1, 64);
    long expiry = body.getValue("expiryMs") == null ? PRESENCE_EXPIRY_MS
      : Input.integer(body, "expiryMs", MIN_PRESENCE_EXPIRY_MS, Integer.MAX_VALUE);
    if (Input.flag(body, "gone", false)) {
      tx.update("UPDATE presence SET seen_at = 0 WHERE node_id = ?", nodeId);
    } else {
      tx.update("UPDATE presence SET seen_at = ? WHERE node_id = ?", tx.now, nodeId);
    }
    List<JsonObject> stale = tx.all("SELECT DISTINCT attendee_id AS id FROM presence WHERE seen_at < ?", tx.now - expiry);
    tx.update("DELETE FROM presence WHERE seen_at < ?", tx.now - expiry);
    int offline = 0;
    for (JsonObject attendee : stale) {
      if (!online(tx, attendee.getString("id"))) {
        presenceEvent(tx, attendee.getString("id"), false);
        offline++;
      }
    }
    return new JsonObject().put("wentOffline", offline);
  }

  static final long PRESENCE_EXPIRY_MS = 35_000;
  /** Shorter would sweep live nodes' sockets between two of their heartbeats. */
  static final int MIN_PRESENCE_EXPIRY_MS = 1_000;

  private static boolean online(Tx tx, String attendeeId) throws SQLException {
    return tx.one("SELECT 1 AS x FROM presence WHERE attendee_id = ? AND sockets > 0", attendeeId) != null;
  }

  private static void presenceEvent(Tx tx, String attendeeId, boolean online) throws SQLException {
    JsonObject attendee = tx.one("SELECT codelab_id AS codelabId, nickname FROM attendees WHERE id = ?", attendeeId);
    if (attendee == null) {
      return;
    }
    Actor self = Actor.attendee(attendeeId, attendee.getString("codelabId"), attendee.getString("nickname"));
    tx.event(attendee.getString("codelabId"), Stream.FACILITATORS, null, online ? "attendee.online" : "attendee.offline",
      null, self, new JsonObject().put("attendeeId", attendeeId).put("nickname", self.name()).put("online", online));
  }

  static final String ANNOUNCEMENT_COLUMNS = """
    n.id, n.codelab_id AS codelabId, n.text, n.pinned = 1 AS pinned, n.author_id AS authorId,
    f.display_name AS authorName, n.created_at AS createdAt
    FROM announcements n LEFT JOIN facilitators f ON f.id = n.author_id""";

  private static JsonObject announcement(Tx tx, String id) throws SQLException {
    JsonObject row = tx.one("SELECT " + ANNOUNCEMENT_COLUMNS + " WHERE n.id = ?", id);
    return row.put("pinned", row.getInteger("pinned") == 1);
  }

  private static int countSteps(Tx tx, String codelabId) throws SQLException {
    return tx.one("SELECT count(*) AS n FROM steps WHERE codelab_id = ?", codelabId).getInteger("n");
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
      insertStep(tx, codelabId, position, steps.get(position));
    }
  }

  private static void insertStep(Tx tx, String codelabId, int position, JsonObject step) throws SQLException {
    tx.update("INSERT INTO steps (codelab_id, position, id, title, markdown, html, duration_minutes) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
      codelabId, position, Tx.newId(), step.getString("title").strip(), step.getString("markdown"),
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

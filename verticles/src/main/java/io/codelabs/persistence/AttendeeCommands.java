package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Attendees joining a codelab and reporting their progress through it. */
final class AttendeeCommands {
  private AttendeeCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.ATTENDEE_JOIN, AttendeeCommands::joinAttendee);
    commands.put(Address.PROGRESS_REPORT, AttendeeCommands::reportProgress);
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
    long seq = tx.emit(EventType.ATTENDEE_JOINED).in(codelabId).by(self).toEveryone()
      .with(new JsonObject().put("attendeeId", id).put("nickname", nickname));
    tx.audit(self, "attendee.join", codelabId, new JsonObject().put("attendeeId", id).put("nickname", nickname),
      AccountCommands.source(body));
    return tx.eventful(seq, false).put("attendee", attendee);
  }

  /** The most frequent command of a workshop, so its common path reads the attendee, its access and the step count in one query. */
  static JsonObject reportProgress(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    JsonObject attendee = tx.one("""
      SELECT current_step AS currentStep, step_started_at AS startedAt,
        (SELECT count(*) FROM steps WHERE codelab_id = ?) AS stepCount,
        (SELECT held_at_step FROM codelabs WHERE id = ?) AS heldAt
      FROM attendees WHERE id = ? AND codelab_id = ?""", codelabId, codelabId, actor.id(), codelabId);
    if (attendee == null || actor.isFacilitator()) {
      tx.access(actor, codelabId).requireAttendee();
    }
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
    if (seen != null) {
      return progressReply(tx, actor, attendee.getInteger("currentStep"), seen, true);
    }
    int step = Input.integer(body, "step", 0, Math.max(0, attendee.getInteger("stepCount") - 1));
    Integer heldAt = attendee.getInteger("heldAt");
    if (heldAt != null && step > heldAt) {
      throw ErrorCode.STEP_HELD.failure("Please wait here: the facilitator holds everyone at step " + (heldAt + 1));
    }
    boolean completed = Input.flag(body, "completed", false);
    int previous = attendee.getInteger("currentStep");
    Long duration = step == previous ? tx.now - attendee.getLong("startedAt") : null;
    Long seq = null;
    String key = eventId;
    if (step != previous) {
      tx.update("UPDATE attendees SET current_step = ?, step_started_at = ?, last_seen_at = ? WHERE id = ?",
        step, tx.now, tx.now, actor.id());
      seq = tx.emit(EventType.ATTENDEE_STEP_CHANGED).in(codelabId).by(actor).toFacilitators().forRequest(key)
        .with(new JsonObject().put("attendeeId", actor.id()).put("nickname", actor.name()).put("step", step)
          .put("previousStep", previous));
      key = null;
    } else {
      tx.update("UPDATE attendees SET last_seen_at = ? WHERE id = ?", tx.now, actor.id());
    }
    if (completed && tx.update("INSERT OR IGNORE INTO step_completions (attendee_id, step, completed_at, duration_ms) "
      + "VALUES (?, ?, ?, ?)", actor.id(), step, tx.now, duration) == 1) {
      long completedSeq = tx.emit(EventType.ATTENDEE_STEP_COMPLETED).in(codelabId).by(actor).toFacilitators()
        .forRequest(key)
        .with(new JsonObject().put("attendeeId", actor.id()).put("nickname", actor.name()).put("step", step));
      seq = seq == null ? completedSeq : seq;
      Completion.reassess(tx, codelabId, actor.id());
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
}

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
    commands.put(Address.ATTENDEE_JOIN, Writer.marked(Writer.JournalUse.LEAVES_IT_LOADED, AttendeeCommands::joinAttendee));
    commands.put(Address.PROGRESS_REPORT, Writer.marked(Writer.JournalUse.IN_MEMORY, AttendeeCommands::reportProgress));
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
    String id = tx.newId();
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

  /**
   * The most frequent command of a workshop, so it reads and changes the attendee and its codelab
   * in the writer's memory: its common path runs one query (the idempotency key) and no write of its
   * own, so it needs no savepoint; the journal writes its event and progress with the batch.
   */
  static JsonObject reportProgress(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    Journal.Attendee attendee = actor.isFacilitator() ? null : tx.attendee(codelabId, actor.id());
    if (attendee == null) {
      tx.access(actor, codelabId).requireAttendee();
      throw ErrorCode.NOT_FOUND.failure("No attendee " + actor.id() + " in codelab " + codelabId);
    }
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
    if (seen != null) {
      return progressReply(tx, attendee, attendee.currentStep, seen, true);
    }
    Journal.Codelab codelab = tx.codelab(codelabId);
    int step = Input.integer(body, "step", 0, Math.max(0, codelab.stepCount - 1));
    if (codelab.heldAt != null && step > codelab.heldAt) {
      throw ErrorCode.STEP_HELD.failure("Please wait here: the facilitator holds everyone at step " + (codelab.heldAt + 1));
    }
    boolean completed = Input.flag(body, "completed", false);
    int previous = attendee.currentStep;
    Long duration = step == previous ? tx.now - attendee.stepStartedAt : null;
    Long seq = null;
    String key = eventId;
    tx.changing(attendee).lastSeenAt = tx.now;
    if (step != previous) {
      attendee.currentStep = step;
      attendee.stepStartedAt = tx.now;
      seq = tx.emit(EventType.ATTENDEE_STEP_CHANGED).in(codelabId).by(actor).toFacilitators().forRequest(key)
        .with(new JsonObject().put("attendeeId", actor.id()).put("nickname", actor.name()).put("step", step)
          .put("previousStep", previous));
      key = null;
    }
    if (completed && !attendee.completedSteps.contains(step)) {
      tx.update("INSERT INTO step_completions (attendee_id, step, completed_at, duration_ms) VALUES (?, ?, ?, ?)",
        actor.id(), step, tx.now, duration);
      attendee.completedSteps.add(step);
      long completedSeq = tx.emit(EventType.ATTENDEE_STEP_COMPLETED).in(codelabId).by(actor).toFacilitators()
        .forRequest(key)
        .with(new JsonObject().put("attendeeId", actor.id()).put("nickname", actor.name()).put("step", step));
      seq = seq == null ? completedSeq : seq;
      Completion.reassess(tx, codelabId, actor.id());
    }
    return progressReply(tx, attendee, step, seq, false);
  }

  private static JsonObject progressReply(Tx tx, Journal.Attendee attendee, int currentStep, Long seq,
                                          boolean duplicate) {
    return tx.eventful(seq, duplicate)
      .put("currentStep", currentStep)
      .put("completedSteps", new JsonArray(new ArrayList<>(attendee.completedSteps)));
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;

/** Pacing a room: hold at a step and release, send everyone to a step, pulse polls and known issues per step. */
final class PacingCommands {
  static final int KNOWN_ISSUE_MAX = 280;

  private PacingCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.PACING_HOLD, PacingCommands::hold);
    commands.put(Address.PACING_RELEASE, PacingCommands::release);
    commands.put(Address.PACING_SEND, PacingCommands::sendToStep);
    commands.put(Address.POLL_START, PacingCommands::startPoll);
    commands.put(Address.POLL_ANSWER, PacingCommands::answerPoll);
    commands.put(Address.POLL_CLOSE, PacingCommands::closePoll);
    commands.put(Address.KNOWN_ISSUE_SET, PacingCommands::setKnownIssue);
  }

  static JsonObject hold(Tx tx, JsonObject body) throws SQLException {
    Actor actor = facilitator(tx, body);
    String codelabId = body.getString("codelabId");
    int step = step(tx, body, codelabId);
    tx.update("UPDATE codelabs SET held_at_step = ? WHERE id = ?", step, codelabId);
    tx.audit(actor, EventType.PACING_HELD.type, codelabId, new JsonObject().put("step", step));
    long seq = tx.emit(EventType.PACING_HELD).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("step", step));
    return tx.eventful(seq, false).put("heldAtStep", step);
  }

  static JsonObject release(Tx tx, JsonObject body) throws SQLException {
    Actor actor = facilitator(tx, body);
    String codelabId = body.getString("codelabId");
    Integer held = heldAt(tx, codelabId);
    if (held == null) {
      return tx.eventful(null, true).putNull("heldAtStep");
    }
    tx.update("UPDATE codelabs SET held_at_step = NULL WHERE id = ?", codelabId);
    tx.audit(actor, EventType.PACING_RELEASED.type, codelabId, new JsonObject().put("step", held));
    long seq = tx.emit(EventType.PACING_RELEASED).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("step", held));
    return tx.eventful(seq, false).putNull("heldAtStep");
  }

  static JsonObject sendToStep(Tx tx, JsonObject body) throws SQLException {
    Actor actor = facilitator(tx, body);
    String codelabId = body.getString("codelabId");
    int step = step(tx, body, codelabId);
    Integer held = heldAt(tx, codelabId);
    if (held != null && step > held) {
      throw ErrorCode.CONFLICT.failure("Everyone is held at step " + (held + 1) + "; release the hold first");
    }
    tx.audit(actor, EventType.PACING_SENT_TO_STEP.type, codelabId, new JsonObject().put("step", step));
    long seq = tx.emit(EventType.PACING_SENT_TO_STEP).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("step", step));
    return tx.eventful(seq, false).put("step", step);
  }

  /** Starting a poll closes the one still open, so a room has one question at a time. */
  static JsonObject startPoll(Tx tx, JsonObject body) throws SQLException {
    Actor actor = facilitator(tx, body);
    String codelabId = body.getString("codelabId");
    int step = step(tx, body, codelabId);
    JsonObject open = tx.one("SELECT id FROM pulse_polls WHERE codelab_id = ? AND closed_at IS NULL", codelabId);
    if (open != null) {
      close(tx, actor, codelabId, open.getString("id"));
    }
    String id = tx.newId();
    tx.update("INSERT INTO pulse_polls (id, codelab_id, step, opened_at) VALUES (?, ?, ?, ?)",
      id, codelabId, step, tx.now);
    JsonObject poll = poll(tx, id);
    long seq = tx.emit(EventType.POLL_STARTED).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("poll", poll));
    return tx.eventful(seq, false).put("poll", poll);
  }

  /** One answer per attendee and poll, which it may change while the poll is open. */
  static JsonObject answerPoll(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String pollId = Input.text(body, "pollId", 1, 64);
    String answer = Input.text(body, "answer", 1, 10);
    if (!"yes".equals(answer) && !"not-yet".equals(answer)) {
      throw ErrorCode.INVALID.failure("answer must be yes or not-yet");
    }
    JsonObject poll = tx.one("SELECT closed_at AS closedAt FROM pulse_polls WHERE id = ? AND codelab_id = ?",
      pollId, codelabId);
    if (poll == null) {
      throw ErrorCode.NOT_FOUND.failure("No poll " + pollId);
    }
    if (poll.getValue("closedAt") != null) {
      throw ErrorCode.CONFLICT.failure("This poll is closed");
    }
    JsonObject previous = tx.one("SELECT answer FROM pulse_answers WHERE poll_id = ? AND attendee_id = ?",
      pollId, actor.id());
    if (previous != null && answer.equals(previous.getString("answer"))) {
      return tx.eventful(null, true).put("answer", answer);
    }
    tx.update("INSERT INTO pulse_answers (poll_id, attendee_id, answer, answered_at) VALUES (?, ?, ?, ?) "
      + "ON CONFLICT (poll_id, attendee_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
      pollId, actor.id(), answer, tx.now);
    long seq = tx.emit(EventType.POLL_ANSWERED).in(codelabId).by(actor).toFacilitators()
      .with(new JsonObject().put("pollId", pollId).put("attendeeId", actor.id()).put("nickname", actor.name())
        .put("answer", answer).put("tally", tally(tx, pollId)));
    return tx.eventful(seq, false).put("answer", answer);
  }

  static JsonObject closePoll(Tx tx, JsonObject body) throws SQLException {
    Actor actor = facilitator(tx, body);
    String codelabId = body.getString("codelabId");
    String pollId = Input.text(body, "pollId", 1, 64);
    JsonObject poll = tx.one("SELECT closed_at AS closedAt FROM pulse_polls WHERE id = ? AND codelab_id = ?",
      pollId, codelabId);
    if (poll == null) {
      throw ErrorCode.NOT_FOUND.failure("No poll " + pollId);
    }
    if (poll.getValue("closedAt") != null) {
      return tx.eventful(null, true).put("poll", poll(tx, pollId));
    }
    long seq = close(tx, actor, codelabId, pollId);
    return tx.eventful(seq, false).put("poll", poll(tx, pollId));
  }

  /** An empty text takes the step's note down. */
  static JsonObject setKnownIssue(Tx tx, JsonObject body) throws SQLException {
    Actor actor = facilitator(tx, body);
    String codelabId = body.getString("codelabId");
    int step = step(tx, body, codelabId);
    String text = Input.text(body, "text", 0, KNOWN_ISSUE_MAX);
    long seq;
    if (text.isEmpty()) {
      if (tx.update("DELETE FROM known_issues WHERE codelab_id = ? AND step = ?", codelabId, step) == 0) {
        return tx.eventful(null, true).put("knownIssue", new JsonObject().put("step", step).put("text", ""));
      }
      seq = tx.emit(EventType.KNOWN_ISSUE_CLEARED).in(codelabId).by(actor).toEveryone()
        .with(new JsonObject().put("step", step));
    } else {
      tx.update("INSERT INTO known_issues (codelab_id, step, text, updated_at) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT (codelab_id, step) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
        codelabId, step, text, tx.now);
      seq = tx.emit(EventType.KNOWN_ISSUE_SET).in(codelabId).by(actor).toEveryone()
        .with(new JsonObject().put("step", step).put("text", text));
    }
    tx.audit(actor, "pacing.known-issue", codelabId, new JsonObject().put("step", step).put("text", text));
    return tx.eventful(seq, false).put("knownIssue", new JsonObject().put("step", step).put("text", text));
  }

  /** The step attendees of the codelab are held at, or null. */
  static Integer heldAt(Tx tx, String codelabId) throws SQLException {
    return tx.one("SELECT held_at_step AS step FROM codelabs WHERE id = ?", codelabId).getInteger("step");
  }

  private static long close(Tx tx, Actor actor, String codelabId, String pollId) throws SQLException {
    tx.update("UPDATE pulse_polls SET closed_at = ? WHERE id = ?", tx.now, pollId);
    return tx.emit(EventType.POLL_CLOSED).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("poll", poll(tx, pollId)));
  }

  private static JsonObject poll(Tx tx, String pollId) throws SQLException {
    return tx.one("SELECT id, step, opened_at AS openedAt, closed_at AS closedAt FROM pulse_polls WHERE id = ?", pollId)
      .put("tally", tally(tx, pollId));
  }

  static JsonObject tally(Tx tx, String pollId) throws SQLException {
    JsonObject counts = tx.one("SELECT count(*) FILTER (WHERE answer = 'yes') AS yes, "
      + "count(*) FILTER (WHERE answer = 'not-yet') AS notYet FROM pulse_answers WHERE poll_id = ?", pollId);
    return new JsonObject().put("yes", counts.getInteger("yes")).put("notYet", counts.getInteger("notYet"));
  }

  private static Actor facilitator(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    tx.access(actor, body.getString("codelabId")).requireFacilitator();
    return actor;
  }

  private static int step(Tx tx, JsonObject body, String codelabId) throws SQLException {
    int steps = tx.one("SELECT count(*) AS n FROM steps WHERE codelab_id = ?", codelabId).getInteger("n");
    return Input.integer(body, "step", 0, Math.max(0, steps - 1));
  }
}

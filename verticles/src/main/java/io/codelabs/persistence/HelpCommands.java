package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;

/** Help requests: an attendee asks (and may cancel), a facilitator claims, assigns and resolves. */
final class HelpCommands {
  private HelpCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    Map<Address, Writer.Command> help = Map.of(
      Address.HELP_REQUEST, HelpCommands::requestHelp,
      Address.HELP_CLAIM, (tx, body) -> moveHelp(tx, body, "claimed"),
      Address.HELP_RESOLVE, (tx, body) -> moveHelp(tx, body, "resolved"),
      Address.HELP_CANCEL, HelpCommands::cancelHelp,
      Address.HELP_ASSIGN, HelpCommands::assignHelp);
    help.forEach((address, command) -> commands.put(address, Writer.marked(Writer.JournalUse.LEAVES_IT_LOADED, command)));
  }

  static JsonObject requestHelp(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
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
    String id = tx.newId();
    tx.update("INSERT INTO help_requests (id, codelab_id, attendee_id, step, message, status, created_at) "
      + "VALUES (?, ?, ?, ?, ?, 'open', ?)", id, codelabId, actor.id(), step, message, tx.now);
    JsonObject help = help(tx, id);
    long seq = tx.emit(EventType.HELP_REQUESTED).in(codelabId).by(actor).toInboxOf(actor.id()).forRequest(eventId)
      .with(new JsonObject().put("help", help));
    return tx.eventful(seq, false).put("help", help);
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
    EventType moved = "claimed".equals(status) ? EventType.HELP_CLAIMED : EventType.HELP_RESOLVED;
    long seq = tx.emit(moved).in(codelabId).by(actor).toInboxOf(current.getString("attendeeId"))
      .with(new JsonObject().put("help", help));
    return tx.eventful(seq, false).put("help", help);
  }

  static JsonObject cancelHelp(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String helpId = Input.text(body, "helpId", 1, 64);
    JsonObject current = tx.one("SELECT status, cancelled_at AS cancelledAt FROM help_requests "
      + "WHERE id = ? AND codelab_id = ? AND attendee_id = ?", helpId, codelabId, actor.id());
    if (current == null) {
      throw ErrorCode.NOT_FOUND.failure("You have no help request " + helpId);
    }
    if (current.getValue("cancelledAt") != null) {
      return tx.eventful(null, true).put("help", help(tx, helpId));
    }
    if ("resolved".equals(current.getString("status"))) {
      throw ErrorCode.CONFLICT.failure("This help request is already resolved");
    }
    tx.update("UPDATE help_requests SET status = 'resolved', resolved_at = ?, cancelled_at = ? WHERE id = ?",
      tx.now, tx.now, helpId);
    JsonObject help = help(tx, helpId);
    long seq = tx.emit(EventType.HELP_CANCELLED).in(codelabId).by(actor).toInboxOf(actor.id())
      .with(new JsonObject().put("help", help));
    return tx.eventful(seq, false).put("help", help);
  }

  /** Hands a request to one of the codelab's facilitators (an assistant, usually), even if another had claimed it. */
  static JsonObject assignHelp(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String helpId = Input.text(body, "helpId", 1, 64);
    String assigneeId = Input.text(body, "facilitatorId", 1, 64);
    JsonObject current = tx.one("SELECT status, attendee_id AS attendeeId FROM help_requests "
      + "WHERE id = ? AND codelab_id = ?", helpId, codelabId);
    if (current == null) {
      throw ErrorCode.NOT_FOUND.failure("No help request " + helpId);
    }
    if ("resolved".equals(current.getString("status"))) {
      throw ErrorCode.CONFLICT.failure("This help request is already closed");
    }
    if (tx.one("SELECT role FROM codelab_members WHERE codelab_id = ? AND facilitator_id = ?",
      codelabId, assigneeId) == null) {
      throw ErrorCode.INVALID.failure("Help can only be assigned to a facilitator of this codelab");
    }
    tx.update("UPDATE help_requests SET status = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ?",
      assigneeId, tx.now, helpId);
    tx.audit(actor, EventType.HELP_ASSIGNED.type, codelabId,
      new JsonObject().put("helpId", helpId).put("facilitatorId", assigneeId));
    JsonObject help = help(tx, helpId).put("assignedBy", actor.id());
    long seq = tx.emit(EventType.HELP_ASSIGNED).in(codelabId).by(actor).toInboxOf(current.getString("attendeeId"))
      .with(new JsonObject().put("help", help));
    return tx.eventful(seq, false).put("help", help);
  }

  private static JsonObject help(Tx tx, String id) throws SQLException {
    return tx.one("SELECT " + Rows.HELP + " WHERE h.id = ?", id);
  }
  private static int countSteps(Tx tx, String codelabId) throws SQLException {
    return tx.one("SELECT count(*) AS n FROM steps WHERE codelab_id = ?", codelabId).getInteger("n");
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;

/** Chat messages, public or direct, and the facilitators' announcements. */
final class MessageCommands {
  private MessageCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    Map<Address, Writer.Command> messages = Map.of(
      Address.CHAT_SEND, MessageCommands::sendChat,
      Address.ANNOUNCEMENT_POST, MessageCommands::postAnnouncement,
      Address.ANNOUNCEMENT_PIN, MessageCommands::pinAnnouncement);
    messages.forEach((address, command) -> commands.put(address, Writer.marked(Writer.JournalUse.LEAVES_IT_LOADED, command)));
  }

  static JsonObject sendChat(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    Access access = tx.access(actor, codelabId).requireParticipant();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
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
    String id = tx.newId();
    tx.update("""
      INSERT INTO chat_messages (id, codelab_id, sender_role, sender_id, sender_name, direct_attendee_id, text,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
      id, codelabId, actor.role().name(), actor.id(), actor.name(), conversation, text, tx.now);
    JsonObject message = new JsonObject().put("id", id).put("codelabId", codelabId)
      .put("senderRole", actor.role().name().toLowerCase()).put("senderId", actor.id())
      .put("senderName", actor.name()).put("direct", direct).put("attendeeId", conversation)
      .put("text", text).put("at", tx.now);
    Tx.Emission posted = tx.emit(EventType.CHAT_POSTED).in(codelabId).by(actor).forRequest(eventId);
    long seq = (direct ? posted.toInboxOf(conversation) : posted.toEveryone())
      .with(new JsonObject().put("message", message));
    return tx.eventful(seq, false).put("message", message);
  }

  static JsonObject postAnnouncement(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String eventId = Input.eventId(body);
    Long seen = tx.seenEvent(eventId, actor, codelabId);
    if (seen != null) {
      return tx.eventful(seen, true).put("announcement", tx.eventData(codelabId, seen).getJsonObject("announcement"));
    }
    String text = Input.text(body, "text", 1, 2000);
    boolean pinned = Input.flag(body, "pinned", false);
    String id = tx.newId();
    tx.update("INSERT INTO announcements (id, codelab_id, author_id, text, pinned, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      id, codelabId, actor.id(), text, pinned, tx.now);
    tx.audit(actor, "announcement.post", codelabId, new JsonObject().put("announcementId", id));
    JsonObject announcement = announcement(tx, id);
    long seq = tx.emit(EventType.ANNOUNCEMENT_POSTED).in(codelabId).by(actor).toEveryone().forRequest(eventId)
      .with(new JsonObject().put("announcement", announcement));
    return tx.eventful(seq, false).put("announcement", announcement);
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
    long seq = tx.emit(pinned ? EventType.ANNOUNCEMENT_PINNED : EventType.ANNOUNCEMENT_UNPINNED).in(codelabId).by(actor)
      .toEveryone().with(new JsonObject().put("announcement", announcement));
    return tx.eventful(seq, false).put("announcement", announcement);
  }

  private static JsonObject announcement(Tx tx, String id) throws SQLException {
    JsonObject row = tx.one("SELECT " + Rows.ANNOUNCEMENT + " WHERE n.id = ?", id);
    return row.put("pinned", row.getInteger("pinned") == 1);
  }
}

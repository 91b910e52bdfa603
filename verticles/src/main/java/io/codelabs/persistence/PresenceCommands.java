package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Which attendees have a socket open on some bridge node, kept by the nodes' updates and heartbeats. */
final class PresenceCommands {
  static final long PRESENCE_EXPIRY_MS = 35_000;
  /** Shorter would sweep live nodes' sockets between two of their heartbeats. */
  static final int MIN_PRESENCE_EXPIRY_MS = 1_000;

  private PresenceCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    Map<Address, Writer.Command> presence = Map.of(
      Address.PRESENCE_UPDATE, PresenceCommands::updatePresence,
      Address.PRESENCE_HEARTBEAT, PresenceCommands::presenceHeartbeat);
    presence.forEach((address, command) -> commands.put(address, Writer.marked(Writer.JournalUse.LEAVES_IT_LOADED, command)));
  }

  /**
   * Counts sockets per attendee and node; the attendee is online while any node holds one.
   * The actor is the attendee the bridge authenticated.
   */
  static JsonObject updatePresence(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String nodeId = Input.text(body, "nodeId", 1, 64);
    int delta = Input.integer(body, "delta", -1, 1);
    Journal.Attendee attendee = tx.attendee(actor.codelabId(), actor.id());
    if (attendee == null) {
      throw ErrorCode.NOT_FOUND.failure("No attendee " + actor.id());
    }
    boolean wasOnline = online(tx, actor.id());
    tx.update("""
      INSERT INTO presence (attendee_id, node_id, sockets, seen_at) VALUES (?, ?, max(?, 0), ?)
      ON CONFLICT (attendee_id, node_id) DO UPDATE SET sockets = max(sockets + ?, 0), seen_at = excluded.seen_at""",
      actor.id(), nodeId, delta, tx.now, delta);
    tx.update("DELETE FROM presence WHERE attendee_id = ? AND sockets = 0", actor.id());
    tx.changing(attendee).lastSeenAt = tx.now;
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

  private static boolean online(Tx tx, String attendeeId) throws SQLException {
    return tx.one("SELECT 1 AS x FROM presence WHERE attendee_id = ? AND sockets > 0", attendeeId) != null;
  }

  private static void presenceEvent(Tx tx, String attendeeId, boolean online) throws SQLException {
    JsonObject attendee = tx.one("SELECT codelab_id AS codelabId, nickname FROM attendees WHERE id = ?", attendeeId);
    if (attendee == null) {
      return;
    }
    Actor self = Actor.attendee(attendeeId, attendee.getString("codelabId"), attendee.getString("nickname"));
    tx.emit(online ? EventType.ATTENDEE_ONLINE : EventType.ATTENDEE_OFFLINE).in(attendee.getString("codelabId"))
      .by(self).toFacilitators()
      .with(new JsonObject().put("attendeeId", attendeeId).put("nickname", self.name()).put("online", online));
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads of webhook endpoints: their owners' lists and logs, and what the delivering node needs. */
final class WebhookQueries {
  private static final int MAX_PENDING = 500;
  private static final String SECRETS = "w.secret, CASE WHEN w.previous_until > ? THEN w.previous_secret END AS previousSecret";
  /**
   * Params: webhook id, limit. An endpoint sees the codelabs its owner is a facilitator of, as their
   * facilitators stream does; a codelab it has no position in yet starts at the endpoint's creation.
   */
  private static final String PENDING = """
    SELECT e.codelab_id AS codelabId, e.seq, e.stream, e.attendee_id AS attendeeId, e.stream_seq AS streamSeq, e.type,
      e.event_id AS eventId, e.created_at AS at, e.payload
    FROM webhooks w
    JOIN codelab_members m ON m.facilitator_id = w.facilitator_id AND (w.codelab_id IS NULL OR m.codelab_id = w.codelab_id)
    LEFT JOIN webhook_positions p ON p.webhook_id = w.id AND p.codelab_id = m.codelab_id
    JOIN events e ON e.codelab_id = m.codelab_id AND e.seq > COALESCE(p.seq, 0)
      AND (p.seq IS NOT NULL OR e.created_at >= w.created_at)
    WHERE w.id = ? AND w.enabled = 1
    ORDER BY e.codelab_id, e.seq LIMIT ?""";

  private final ReadQueries reads;
  private final String epoch;

  WebhookQueries(ReadQueries reads, String epoch) {
    this.reads = reads;
    this.epoch = epoch;
  }

  void addTo(Map<Address, Function<JsonObject, Future<JsonObject>>> queries) {
    queries.put(Address.WEBHOOK_LIST, this::list);
    queries.put(Address.WEBHOOK_DELIVERIES, this::deliveries);
    queries.put(Address.WEBHOOK_TARGETS, this::targets);
    queries.put(Address.WEBHOOK_PENDING, this::pending);
    queries.put(Address.WEBHOOK_DELIVERY_GET, this::delivery);
  }

  private Future<JsonObject> list(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    return reads.rows("SELECT " + WebhookCommands.COLUMNS + " WHERE w.facilitator_id = ? AND (? IS NULL OR w.codelab_id = ?) "
        + "ORDER BY w.created_at", actor.id(), codelabId, codelabId)
      .map(rows -> new JsonObject().put("webhooks", new JsonArray(rows.stream().map(WebhookCommands::view).toList())));
  }

  private Future<JsonObject> deliveries(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String id = body.getString("webhookId");
    int limit = body.getValue("limit") == null ? 100 : Input.integer(body, "limit", 1, 500);
    return owned(actor, id).compose(found -> reads.rows("""
        SELECT id, codelab_id AS codelabId, seq, message_id AS messageId, event_type AS type, status, attempt,
          redelivery = 1 AS redelivery, response_code AS responseCode, latency_ms AS latencyMs, error, at
        FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?""", id, limit))
      .map(rows -> new JsonObject().put("deliveries", new JsonArray(rows.stream()
        .map(row -> row.put("redelivery", row.getInteger("redelivery") == 1)).toList())));
  }

  /** A disabled account's endpoints pause with it: its owner could not see those events any more. */
  private Future<JsonObject> targets(JsonObject body) {
    return reads.rows("SELECT w.id, w.facilitator_id AS facilitatorId, w.codelab_id AS codelabId, w.url, "
        + "w.description, w.event_types AS eventTypes, " + SECRETS + " FROM webhooks w "
        + "JOIN facilitators f ON f.id = w.facilitator_id AND f.disabled_at IS NULL WHERE w.enabled = 1",
        System.currentTimeMillis())
      .map(rows -> new JsonObject().put("webhooks", new JsonArray(rows.stream()
        .map(row -> row.put("eventTypes", new JsonArray(row.getString("eventTypes")))).toList())));
  }

  private Future<JsonObject> pending(JsonObject body) {
    int limit = body.getValue("limit") == null ? 100 : Input.integer(body, "limit", 1, MAX_PENDING);
    return reads.rows(PENDING, body.getString("webhookId"), limit).map(rows -> new JsonObject()
      .put("events", new JsonArray(rows.stream().map(this::event).toList())));
  }

  private JsonObject event(JsonObject e) {
    return Events.json(e.getString("codelabId"), e.getLong("seq"), epoch, e.getString("stream"), e.getString("attendeeId"),
      e.getLong("streamSeq"), e.getString("type"), e.getString("eventId"), e.getLong("at"),
      new JsonObject(e.getString("payload")));
  }

  private Future<JsonObject> delivery(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String id = body.getString("webhookId");
    return reads.one("SELECT d.id, d.codelab_id AS codelabId, d.seq, d.message_id AS messageId, d.event_type AS type, "
          + "d.body, w.url, " + SECRETS + " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
          + "WHERE d.id = ? AND w.id = ? AND w.facilitator_id = ?",
        System.currentTimeMillis(), body.getLong("deliveryId"), id, actor.id())
      .map(row -> ReadQueries.required(row, "No delivery " + body.getValue("deliveryId") + " of webhook " + id));
  }

  private Future<List<JsonObject>> owned(Actor actor, String id) {
    return reads.rows("SELECT id FROM webhooks WHERE id = ? AND facilitator_id = ?", id, actor.id()).map(rows -> {
      if (rows.isEmpty()) {
        throw ErrorCode.NOT_FOUND.failure("No webhook " + id);
      }
      return rows;
    });
  }
}

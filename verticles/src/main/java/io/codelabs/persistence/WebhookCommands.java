package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Webhook endpoints, their positions in each codelab's log and their delivery log; all changes audited. */
final class WebhookCommands {
  static final String COLUMNS = """
    w.id, w.codelab_id AS codelabId, w.url, w.description, w.event_types AS eventTypes, w.enabled = 1 AS enabled,
    w.disabled_reason AS disabledReason, w.disabled_at AS disabledAt, w.previous_until AS previousUntil,
    w.created_at AS createdAt, w.updated_at AS updatedAt FROM webhooks w""";
  private static final Set<String> TYPES = Arrays.stream(EventType.values()).map(type -> type.type)
    .collect(Collectors.toUnmodifiableSet());
  private static final int MAX_URL = 2_048;
  private static final int MAX_DESCRIPTION = 200;
  private static final int MAX_ERROR = 500;
  /** Attempts one record command may carry, so one burst cannot hold the writer for long. */
  private static final int MAX_RECORDS = 500;

  /** Rows of the delivery log kept per endpoint; endpoints one facilitator may have. */
  record Limits(int logRows, int perFacilitator) {
  }

  private final Limits limits;

  WebhookCommands(Limits limits) {
    this.limits = limits;
  }

  Map<Address, Writer.Command> all() {
    return Map.of(
      Address.WEBHOOK_CREATE, this::create,
      Address.WEBHOOK_UPDATE, WebhookCommands::update,
      Address.WEBHOOK_DELETE, WebhookCommands::delete,
      Address.WEBHOOK_ROTATE, WebhookCommands::rotate,
      Address.WEBHOOK_RECORD, this::record,
      Address.WEBHOOK_GIVE_UP, WebhookCommands::giveUp);
  }

  private JsonObject create(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = Input.optionalText(body, "codelabId", 64, null);
    if (codelabId != null) {
      tx.access(actor, codelabId).requireFacilitator();
    }
    String url = Input.text(body, "url", 1, MAX_URL);
    String description = Input.optionalText(body, "description", MAX_DESCRIPTION, "");
    JsonArray types = eventTypes(body.getValue("eventTypes"));
    String secret = Input.text(body, "secret", 30, 100);
    if (tx.one("SELECT count(*) AS n FROM webhooks WHERE facilitator_id = ?", actor.id()).getInteger("n")
      >= limits.perFacilitator) {
      throw ErrorCode.CONFLICT.failure("A facilitator may have " + limits.perFacilitator + " webhook endpoints");
    }
    String id = tx.newId();
    tx.update("INSERT INTO webhooks (id, facilitator_id, codelab_id, url, description, event_types, secret, created_at, "
      + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, actor.id(), codelabId, url, description, types.encode(),
      secret, tx.now, tx.now);
    // Deliveries start after what the log holds now, in every codelab the endpoint covers today.
    tx.update("INSERT INTO webhook_positions (webhook_id, codelab_id, seq) SELECT ?, c.id, c.last_seq FROM codelabs c "
      + "JOIN codelab_members m ON m.codelab_id = c.id AND m.facilitator_id = ? WHERE ? IS NULL OR c.id = ?",
      id, actor.id(), codelabId, codelabId);
    tx.audit(actor, "webhook.create", codelabId, new JsonObject().put("webhookId", id).put("url", url)
      .put("eventTypes", types));
    return owned(tx, actor, id).put("secret", secret);
  }

  private static JsonObject update(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    JsonObject before = owned(tx, actor, body.getString("webhookId"));
    String id = before.getString("id");
    JsonObject changes = new JsonObject();
    if (body.getValue("url") != null) {
      changes.put("url", Input.text(body, "url", 1, MAX_URL));
      tx.update("UPDATE webhooks SET url = ? WHERE id = ?", changes.getString("url"), id);
    }
    if (body.getValue("description") != null) {
      changes.put("description", Input.text(body, "description", 0, MAX_DESCRIPTION));
      tx.update("UPDATE webhooks SET description = ? WHERE id = ?", changes.getString("description"), id);
    }
    if (body.containsKey("eventTypes")) {
      changes.put("eventTypes", eventTypes(body.getValue("eventTypes")));
      tx.update("UPDATE webhooks SET event_types = ? WHERE id = ?", changes.getJsonArray("eventTypes").encode(), id);
    }
    boolean disabling = false;
    if (body.getValue("enabled") != null) {
      boolean enabled = Input.flag(body, "enabled", true);
      disabling = !enabled && before.getBoolean("enabled");
      changes.put("enabled", enabled);
      tx.update("UPDATE webhooks SET enabled = ?, disabled_reason = ?, disabled_at = ? WHERE id = ?", enabled ? 1 : 0,
        enabled ? null : "Disabled by its owner", enabled ? null : tx.now, id);
    }
    tx.update("UPDATE webhooks SET updated_at = ? WHERE id = ?", tx.now, id);
    tx.audit(actor, disabling ? "webhook.disable" : "webhook.update", before.getString("codelabId"),
      changes.put("webhookId", id));
    return owned(tx, actor, id);
  }

  private static JsonObject delete(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    JsonObject webhook = owned(tx, actor, body.getString("webhookId"));
    tx.update("DELETE FROM webhooks WHERE id = ?", webhook.getString("id"));
    tx.audit(actor, "webhook.delete", webhook.getString("codelabId"), new JsonObject()
      .put("webhookId", webhook.getString("id")).put("url", webhook.getString("url")));
    return new JsonObject().put("webhookId", webhook.getString("id"));
  }

  private static JsonObject rotate(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    JsonObject webhook = owned(tx, actor, body.getString("webhookId"));
    String secret = Input.text(body, "secret", 30, 100);
    long previousUntil = tx.now + Input.whole(body, "overlapMs", 0, Long.MAX_VALUE / 2);
    tx.update("UPDATE webhooks SET previous_secret = secret, previous_until = ?, secret = ?, updated_at = ? WHERE id = ?",
      previousUntil, secret, tx.now, webhook.getString("id"));
    tx.audit(actor, "webhook.rotate", webhook.getString("codelabId"), new JsonObject()
      .put("webhookId", webhook.getString("id")).put("previousUntil", previousUntil));
    return owned(tx, actor, webhook.getString("id")).put("secret", secret);
  }

  /**
   * One endpoint's attempts and positions of a burst, in the order they happened: one transaction for all of them, and
   * the log trimmed once. An endpoint deleted while deliveries were in flight is answered gone, and nothing is written;
   * the rows of a codelab deleted meanwhile are skipped.
   */
  private JsonObject record(Tx tx, JsonObject body) throws SQLException {
    String id = body.getString("webhookId");
    JsonArray records = body.getJsonArray("records");
    if (records == null || records.isEmpty() || records.size() > MAX_RECORDS) {
      throw ErrorCode.INVALID.failure("records must hold 1 to " + MAX_RECORDS + " attempts");
    }
    if (tx.one("SELECT 1 AS found FROM webhooks WHERE id = ?", id) == null) {
      return new JsonObject().put("gone", true);
    }
    Map<String, Boolean> codelabsFound = new HashMap<>();
    boolean logged = false;
    for (Object item : records) {
      JsonObject record = (JsonObject) item;
      String codelabId = record.getString("codelabId");
      Boolean found = codelabsFound.get(codelabId);
      if (found == null) {
        found = tx.one("SELECT 1 AS found FROM codelabs WHERE id = ?", codelabId) != null;
        codelabsFound.put(codelabId, found);
      }
      if (found) {
        logged |= record(tx, id, codelabId, record);
      }
    }
    if (logged) {
      tx.update("DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id <= (SELECT id FROM webhook_deliveries "
        + "WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)", id, id, limits.logRows);
    }
    return new JsonObject().put("gone", false);
  }

  /** Answers whether an attempt was logged. */
  private static boolean record(Tx tx, String id, String codelabId, JsonObject record) throws SQLException {
    if (record.getValue("position") != null) {
      tx.update("INSERT INTO webhook_positions (webhook_id, codelab_id, seq) VALUES (?, ?, ?) "
        + "ON CONFLICT (webhook_id, codelab_id) DO UPDATE SET seq = max(seq, excluded.seq)",
        id, codelabId, record.getLong("position"));
    }
    JsonObject delivery = record.getJsonObject("delivery");
    if (delivery == null) {
      return false;
    }
    String error = delivery.getString("error");
    tx.update("INSERT INTO webhook_deliveries (webhook_id, codelab_id, seq, message_id, event_type, body, status, "
        + "attempt, redelivery, response_code, latency_ms, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      id, codelabId, delivery.getLong("seq"), delivery.getString("messageId"), delivery.getString("type"),
      delivery.getString("body"), delivery.getString("status"), delivery.getInteger("attempt"),
      delivery.getBoolean("redelivery", false) ? 1 : 0, delivery.getInteger("responseCode"),
      delivery.getLong("latencyMs"), error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR),
      tx.now);
    return true;
  }

  private static JsonObject giveUp(Tx tx, JsonObject body) throws SQLException {
    String id = body.getString("webhookId");
    String codelabId = body.getString("codelabId");
    String reason = body.getString("reason");
    JsonObject webhook = tx.one("SELECT facilitator_id AS facilitatorId, description, enabled FROM webhooks WHERE id = ?", id);
    if (webhook == null || webhook.getInteger("enabled") == 0) {
      return new JsonObject().put("disabled", false);
    }
    String owner = webhook.getString("facilitatorId");
    tx.update("UPDATE webhooks SET enabled = 0, disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE id = ?",
      reason, tx.now, tx.now, id);
    tx.audit("SYSTEM", "webhooks", "webhook.disable", codelabId, new JsonObject().put("webhookId", id)
      .put("facilitatorId", owner).put("reason", reason));
    if (tx.one("SELECT 1 AS found FROM codelabs WHERE id = ?", codelabId) != null) {
      tx.emit(EventType.WEBHOOK_DISABLED).in(codelabId).by(Actor.facilitator(owner, null)).toFacilitators()
        .with(new JsonObject().put("webhookId", id).put("facilitatorId", owner)
          .put("description", webhook.getString("description")).put("reason", reason));
    }
    return new JsonObject().put("disabled", true);
  }

  /** The caller's endpoint; someone else's reads as missing, so ids cannot be probed. */
  static JsonObject owned(Tx tx, Actor actor, String id) throws SQLException {
    JsonObject row = tx.one("SELECT " + COLUMNS + " WHERE w.id = ? AND w.facilitator_id = ?", id, actor.id());
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure("No webhook " + id);
    }
    return view(row);
  }

  static JsonObject view(JsonObject row) {
    return row.put("enabled", asBoolean(row.getValue("enabled")))
      .put("eventTypes", new JsonArray(row.getString("eventTypes")));
  }

  private static boolean asBoolean(Object value) {
    return value instanceof Boolean flag ? flag : value instanceof Number number && number.intValue() == 1;
  }

  private static JsonArray eventTypes(Object value) {
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray types) || types.size() > TYPES.size()) {
      throw ErrorCode.INVALID.failure("eventTypes must be a list of event types");
    }
    for (Object type : types) {
      if (!(type instanceof String name) || !TYPES.contains(name)) {
        throw ErrorCode.INVALID.failure("Unknown event type " + type);
      }
    }
    return new JsonArray(types.stream().distinct().sorted().toList());
  }
}

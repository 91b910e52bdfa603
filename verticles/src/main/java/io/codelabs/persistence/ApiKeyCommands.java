package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.Scope;
import io.codelabs.tokens.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** API keys: recorded with the hash the API computed, revoked everywhere at once, their last use kept. */
final class ApiKeyCommands {
  /** Two years: a key meant to live longer should be rotated anyway. */
  private static final long LONGEST_EXPIRY_MS = 2 * 366L * 24 * 3600 * 1000;

  private final int maxPerFacilitator;

  ApiKeyCommands(int maxPerFacilitator) {
    this.maxPerFacilitator = maxPerFacilitator;
  }

  Map<Address, Writer.Command> all() {
    return Map.of(
      Address.APIKEY_CREATE, this::create,
      Address.APIKEY_REVOKE, ApiKeyCommands::revoke,
      Address.APIKEY_TOUCH, ApiKeyCommands::touch);
  }

  /**
   * The key's facilitator is the actor, or whoever the admin names. A codelab-scoped key needs that facilitator to
   * run the codelab, so a key never reaches further than its facilitator could.
   */
  private JsonObject create(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String facilitatorId = Input.optionalText(body, "facilitatorId", 64, actor.id());
    if (!facilitatorId.equals(actor.id())) {
      AccountCommands.requireAdmin(tx, body);
    }
    JsonObject owner = tx.one("SELECT display_name AS displayName FROM facilitators WHERE id = ? AND disabled_at IS NULL",
      facilitatorId);
    if (owner == null) {
      throw ErrorCode.NOT_FOUND.failure("No active facilitator " + facilitatorId);
    }
    String keyId = Input.text(body, "keyId", 24, 24);
    String secretHash = Input.text(body, "secretHash", 64, 64);
    String name = Input.text(body, "name", 1, 80);
    JsonArray scopes = scopes(body);
    String codelabId = Input.optionalText(body, "codelabId", 64, null);
    if (codelabId != null) {
      tx.access(Actor.facilitator(facilitatorId, owner.getString("displayName")), codelabId).requireFacilitator();
    }
    Long expiresAt = body.getValue("expiresAt") == null ? null
      : Input.whole(body, "expiresAt", tx.now + 1, tx.now + LONGEST_EXPIRY_MS);
    long active = tx.one("SELECT count(*) AS n FROM api_keys WHERE facilitator_id = ? AND revoked_at IS NULL "
      + "AND (expires_at IS NULL OR expires_at > ?)", facilitatorId, tx.now).getLong("n");
    if (active >= maxPerFacilitator) {
      throw ErrorCode.CONFLICT.failure("A facilitator may have " + maxPerFacilitator
        + " active API keys; revoke one first");
    }
    tx.update("INSERT INTO api_keys (id, facilitator_id, name, secret_hash, scopes, codelab_id, created_at, created_by, "
        + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      keyId, facilitatorId, name, secretHash, scopes.encode(), codelabId, tx.now, actor.id(), expiresAt);
    tx.audit(actor, "apikey.create", codelabId, new JsonObject().put("keyId", keyId).put("name", name)
      .put("facilitatorId", facilitatorId).put("scopes", scopes).put("expiresAt", expiresAt));
    return new JsonObject().put("id", keyId).put("name", name).put("facilitatorId", facilitatorId)
      .put("facilitatorName", owner.getString("displayName")).put("scopes", scopes).put("codelabId", codelabId)
      .put("createdAt", tx.now).put("expiresAt", expiresAt).putNull("lastUsedAt").putNull("revokedAt");
  }

  private static JsonArray scopes(JsonObject body) {
    Set<String> scopes = new LinkedHashSet<>();
    for (Object scope : body.getJsonArray("scopes", new JsonArray())) {
      if (!(scope instanceof String wire) || Scope.of(wire).isEmpty()) {
        throw ErrorCode.INVALID.failure("scopes must be some of events:read, commands:write, results:read");
      }
      scopes.add(wire);
    }
    if (scopes.isEmpty()) {
      throw ErrorCode.INVALID.failure("A key needs at least one scope");
    }
    return new JsonArray(scopes.stream().toList());
  }

  /**
   * Also a revoked session of the key's id, kept while the key could still be presented (at least as long as a
   * token lives): every node refuses it from the next request on and closes the sockets it opened.
   */
  private static JsonObject revoke(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String keyId = Input.text(body, "keyId", 1, 64);
    JsonObject key = tx.one("SELECT facilitator_id AS facilitatorId, name, codelab_id AS codelabId, created_at AS createdAt, "
      + "expires_at AS expiresAt, revoked_at AS revokedAt FROM api_keys WHERE id = ?", keyId);
    if (key == null) {
      throw ErrorCode.NOT_FOUND.failure("No API key " + keyId);
    }
    if (!key.getString("facilitatorId").equals(actor.id())) {
      requireAdminOrHide(tx, body, keyId);
    }
    if (key.getValue("revokedAt") != null) {
      return new JsonObject().put("id", keyId).put("revokedAt", key.getLong("revokedAt"));
    }
    tx.update("UPDATE api_keys SET revoked_at = ? WHERE id = ?", tx.now, keyId);
    long until = Math.max(tx.now + Tokens.LONGEST_TTL_S * 1000L,
      key.getValue("expiresAt") == null ? 0 : key.getLong("expiresAt"));
    JsonObject session = new JsonObject().put("sessionId", keyId).put("subject", key.getString("facilitatorId"))
      .put("issuedAt", key.getLong("createdAt")).put("expiresAt", until);
    tx.update("INSERT OR IGNORE INTO revoked_sessions (session_id, subject, issued_at, expires_at) VALUES (?, ?, ?, ?)",
      keyId, key.getString("facilitatorId"), key.getLong("createdAt"), until);
    tx.revoked(new JsonObject().put("sessions", new JsonArray().add(session)));
    tx.audit(actor, "apikey.revoke", key.getString("codelabId"), new JsonObject().put("keyId", keyId)
      .put("name", key.getString("name")).put("facilitatorId", key.getString("facilitatorId")));
    return new JsonObject().put("id", keyId).put("revokedAt", tx.now);
  }

  /** Someone else's key is, to anyone but the admin, a key that does not exist. */
  private static void requireAdminOrHide(Tx tx, JsonObject body, String keyId) throws SQLException {
    try {
      AccountCommands.requireAdmin(tx, body);
    } catch (BusFailure notAdmin) {
      throw ErrorCode.NOT_FOUND.failure("No API key " + keyId);
    }
  }

  private static JsonObject touch(Tx tx, JsonObject body) throws SQLException {
    String keyId = Input.text(body, "keyId", 1, 64);
    long at = Input.whole(body, "at", 0, tx.now + 60_000);
    tx.update("UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?", at, keyId);
    return new JsonObject();
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/** API keys as their owners see them (never a hash), and as the verifying nodes need them. */
final class ApiKeyQueries {
  private static final String LISTED = """
    SELECT k.id, k.name, k.facilitator_id AS facilitatorId, f.display_name AS facilitatorName, k.scopes,
      k.codelab_id AS codelabId, c.title AS codelabTitle, k.created_at AS createdAt, k.expires_at AS expiresAt,
      k.last_used_at AS lastUsedAt, k.revoked_at AS revokedAt
    FROM api_keys k JOIN facilitators f ON f.id = k.facilitator_id LEFT JOIN codelabs c ON c.id = k.codelab_id""";

  private final ReadQueries reads;

  ApiKeyQueries(ReadQueries reads) {
    this.reads = reads;
  }

  void addTo(Map<Address, Function<JsonObject, Future<JsonObject>>> queries) {
    queries.put(Address.APIKEY_LIST, this::list);
    queries.put(Address.APIKEY_FIND, this::find);
  }

  /** Admin status is read here, in the database, never taken from the caller. */
  private Future<JsonObject> list(JsonObject body) {
    Actor actor = Input.facilitator(body);
    return reads.one("SELECT 1 AS admin FROM facilitators WHERE id = ? AND is_admin = 1 AND disabled_at IS NULL", actor.id())
      .compose(admin -> admin != null
        ? reads.rows(LISTED + " ORDER BY k.created_at DESC, k.rowid DESC")
        : reads.rows(LISTED + " WHERE k.facilitator_id = ? ORDER BY k.created_at DESC, k.rowid DESC", actor.id()))
      .map(rows -> new JsonObject().put("keys", new JsonArray(rows.stream()
        .map(row -> row.put("scopes", new JsonArray(row.getString("scopes")))).toList())));
  }

  private Future<JsonObject> find(JsonObject body) {
    String keyId = Input.text(body, "keyId", 1, 64);
    return reads.one("""
        SELECT k.id, k.facilitator_id AS facilitatorId, f.display_name AS facilitatorName, k.secret_hash AS secretHash,
          k.scopes, k.codelab_id AS codelabId, k.created_at AS createdAt, k.expires_at AS expiresAt,
          k.last_used_at AS lastUsedAt, k.revoked_at IS NOT NULL AS revoked, f.disabled_at IS NOT NULL AS disabled
        FROM api_keys k JOIN facilitators f ON f.id = k.facilitator_id WHERE k.id = ?""", keyId)
      .map(row -> {
        if (row == null) {
          throw ErrorCode.NOT_FOUND.failure("No API key " + keyId);
        }
        return row.put("scopes", new JsonArray(row.getString("scopes")))
          .put("revoked", ((Number) row.getValue("revoked")).intValue() == 1)
          .put("disabled", ((Number) row.getValue("disabled")).intValue() == 1);
      });
  }
}

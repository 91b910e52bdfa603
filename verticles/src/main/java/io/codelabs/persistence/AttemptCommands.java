package io.codelabs.persistence;

import io.codelabs.bus.AttemptScope;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code persistence.attempts.*} on the writer's event loop. The counters live in memory
 * only: a writer that takes over starts with none.
 */
final class AttemptCommands {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptCommands.class);
  private static final int MAX_KEYS_PER_ATTEMPT = 4;
  private static final int MAX_KEY_LENGTH = 200;

  private final Map<AttemptScope, Attempts.Limit> limits = new EnumMap<>(AttemptScope.class);
  private final Attempts attempts;
  private final Writer writer;

  AttemptCommands(JsonObject config, Writer writer) {
    long windowMs = config.getLong(PersistenceVerticle.LIMIT_WINDOW_SECONDS) * 1000;
    limits.put(AttemptScope.SIGN_IN_ACCOUNT,
      Attempts.Limit.of(config.getInteger(PersistenceVerticle.SIGN_IN_PER_ACCOUNT), windowMs));
    limits.put(AttemptScope.SIGN_IN_SOURCE,
      Attempts.Limit.of(config.getInteger(PersistenceVerticle.SIGN_IN_PER_SOURCE), windowMs));
    limits.put(AttemptScope.REJOIN_NICKNAME,
      Attempts.Limit.of(config.getInteger(PersistenceVerticle.REJOIN_PER_NICKNAME), windowMs));
    limits.put(AttemptScope.REJOIN_SOURCE,
      Attempts.Limit.of(config.getInteger(PersistenceVerticle.REJOIN_PER_SOURCE), windowMs));
    this.attempts = new Attempts(config.getLong(PersistenceVerticle.LOCKOUT_SECONDS) * 1000,
      config.getLong(PersistenceVerticle.MAX_LOCKOUT_SECONDS) * 1000,
      config.getInteger(PersistenceVerticle.MAX_ATTEMPT_KEYS));
    this.writer = writer;
  }

  /** Answers once any lockout it caused is in the audit log, so a 429 is always accounted for. */
  Future<JsonObject> check(JsonObject body) {
    String source = Input.text(body, "source", 1, MAX_KEY_LENGTH);
    String codelabId = Input.optionalText(body, "codelabId", 64, null);
    Attempts.Verdict verdict = attempts.check(keys(body, true, true), System.currentTimeMillis());
    JsonObject reply = new JsonObject().put("allowed", verdict.allowed())
      .put("retryAfterSeconds", (verdict.retryAfterMs() + 999) / 1000);
    if (verdict.lockouts().isEmpty()) {
      return Future.succeededFuture(reply);
    }
    List<Attempts.Lockout> lockouts = verdict.lockouts();
    lockouts.forEach(lockout -> LOG.warn("Locked out {} {} for {} s (lockout {}), last attempt from {}",
      lockout.scope(), lockout.key(), lockout.lockedMs() / 1000, lockout.lockouts(), source));
    JsonArray entries = new JsonArray();
    lockouts.forEach(lockout -> entries.add(new JsonObject().put("scope", lockout.scope()).put("key", lockout.key())
      .put("lockouts", lockout.lockouts()).put("lockedSeconds", lockout.lockedMs() / 1000)));
    return writer.submit(Writer.Internal.LOCKOUTS_AUDIT, new JsonObject().put("source", source)
        .put("codelabId", codelabId).put("lockouts", entries))
      .onFailure(failure -> LOG.warn("Lockouts not audited: {}", failure.getMessage()))
      .otherwiseEmpty()
      .map(audited -> reply);
  }

  /** The writer command that puts lockouts in the audit log. */
  static JsonObject auditLockouts(Tx tx, JsonObject body) throws SQLException {
    for (Object item : body.getJsonArray("lockouts")) {
      JsonObject lockout = (JsonObject) item;
      tx.audit("SOURCE", body.getString("source"), lockout.getString("scope") + ".locked", body.getString("codelabId"),
        new JsonObject().put("key", lockout.getString("key")).put("lockouts", lockout.getInteger("lockouts"))
          .put("lockedSeconds", lockout.getLong("lockedSeconds")));
    }
    return new JsonObject();
  }

  Future<JsonObject> clear(JsonObject body) {
    attempts.succeeded(keys(body, true, false), keys(body, false, true), System.currentTimeMillis());
    return Future.succeededFuture(new JsonObject());
  }

  private Map<String, Attempts.Limit> keys(JsonObject body, boolean personal, boolean shared) {
    JsonArray list = body.getJsonArray("attempts");
    if (list == null || list.isEmpty() || list.size() > MAX_KEYS_PER_ATTEMPT) {
      throw ErrorCode.INVALID.failure("attempts must list 1 to " + MAX_KEYS_PER_ATTEMPT + " keys");
    }
    Map<String, Attempts.Limit> keys = new LinkedHashMap<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject attempt)) {
        throw ErrorCode.INVALID.failure("attempts must be objects with scope and key");
      }
      AttemptScope scope = AttemptScope.of(attempt.getString("scope"));
      String key = Input.text(attempt, "key", 1, MAX_KEY_LENGTH);
      if (scope.personal ? personal : shared) {
        keys.put(scope.wire + " " + key, limits.get(scope));
      }
    }
    return keys;
  }
}

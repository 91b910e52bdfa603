package io.codelabs.persistence;

import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;

/** Writes to the audit log that describe no other change: sign-ins, and pruning past the retention period. */
final class AuditCommands {
  static final String SIGN_IN = "account.signin";
  static final String SIGN_IN_FAILED = "account.signin-failed";
  /** Enough to recognise a mistyped or guessed username; a password pasted into the field stays mostly out. */
  static final int MAX_USERNAME = 32;
  /** Failures of one username from one source within this long share one entry. */
  static final long COALESCE_MS = 60_000;
  /** Rows one prune deletes in one writer batch, so commands queued behind it wait little. */
  static final int PRUNE_BATCH = 1_000;

  private AuditCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.AUDIT_SIGN_IN, AuditCommands::recordSignIn);
  }

  /**
   * A success names the facilitator; a failure names the source, with the attempted username and a
   * count: a guessing loop adds one entry per username and source a minute, and the sign-in limits
   * cap how many usernames one source gets to try.
   */
  static JsonObject recordSignIn(Tx tx, JsonObject body) throws SQLException {
    String source = Input.text(body, "source", 1, 200);
    if (Input.flag(body, "succeeded", false)) {
      String facilitatorId = Input.text(body, "facilitatorId", 1, 64);
      tx.audit("FACILITATOR", facilitatorId, SIGN_IN, null, new JsonObject(), source);
      return new JsonObject();
    }
    String attempted = body.getString("username", "");
    String username = attempted.length() > MAX_USERNAME ? attempted.substring(0, MAX_USERNAME) : attempted;
    String reason = Input.optionalText(body, "reason", 20, "password");
    JsonObject earlier = tx.one("SELECT id FROM audit_log WHERE actor_id = ? AND action = ? AND at > ? "
      + "AND json_extract(detail, '$.username') = ? AND json_extract(detail, '$.reason') = ? ORDER BY id DESC LIMIT 1",
      source, SIGN_IN_FAILED, tx.now - COALESCE_MS, username, reason);
    if (earlier != null) {
      tx.update("UPDATE audit_log SET detail = json_set(detail, '$.count', json_extract(detail, '$.count') + 1, "
        + "'$.lastAt', ?) WHERE id = ?", tx.now, earlier.getLong("id"));
    } else {
      tx.audit("SOURCE", source, SIGN_IN_FAILED, null, new JsonObject().put("username", username)
        .put("reason", reason).put("count", 1).put("lastAt", tx.now), source);
    }
    return new JsonObject();
  }

  /** The writer command that deletes one batch of the oldest entries past the retention period. */
  static JsonObject pruneBatch(Tx tx, JsonObject body) throws SQLException {
    return new JsonObject().put("deleted", tx.update(
      "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT ?)",
      tx.now - body.getLong("retentionMs"), PRUNE_BATCH));
  }

  /** Deletes the oldest entries past the retention period a batch at a time, until none is left. */
  static Future<Integer> prune(Writer writer, long retentionMs) {
    return writer.submit(Writer.Internal.AUDIT_PRUNE, new JsonObject().put("retentionMs", retentionMs))
      .compose(pruned -> {
        int deleted = pruned.getInteger("deleted");
        return deleted < PRUNE_BATCH ? Future.succeededFuture(deleted)
          : prune(writer, retentionMs).map(more -> deleted + more);
      });
  }
}

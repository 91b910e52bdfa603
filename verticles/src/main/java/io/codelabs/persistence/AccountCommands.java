package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.tokens.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;

/** Facilitator accounts and sessions: the admin, account creation, disabling, passwords, sign-out. */
final class AccountCommands {
  private AccountCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.FACILITATOR_BOOTSTRAP, AccountCommands::bootstrapFacilitator);
    commands.put(Address.FACILITATOR_CREATE, AccountCommands::createFacilitator);
    commands.put(Address.FACILITATOR_DISABLE, AccountCommands::setFacilitatorDisabled);
    commands.put(Address.FACILITATOR_PASSWORD, AccountCommands::setFacilitatorPassword);
    commands.put(Address.SESSION_REVOKE, AccountCommands::revokeSessions);
  }

  static JsonObject bootstrapFacilitator(Tx tx, JsonObject body) throws SQLException {
    if (tx.one("SELECT id FROM facilitators LIMIT 1") != null) {
      return new JsonObject().put("created", false);
    }
    JsonObject admin = insertFacilitator(tx, body);
    tx.update("UPDATE facilitators SET is_admin = 1 WHERE id = ?", admin.getString("id"));
    tx.audit("SYSTEM", "bootstrap", "facilitator.create", null, new JsonObject()
      .put("facilitatorId", admin.getString("id")).put("username", admin.getString("username")).put("admin", true));
    return new JsonObject().put("created", true);
  }

  static JsonObject createFacilitator(Tx tx, JsonObject body) throws SQLException {
    Actor actor = requireAdmin(tx, body);
    JsonObject created = insertFacilitator(tx, body);
    tx.audit(actor, "facilitator.create", null, new JsonObject().put("facilitatorId", created.getString("id"))
      .put("username", created.getString("username")), source(body));
    return created.put("admin", false).put("disabled", false);
  }

  /** Disabling ends every session of the account at once; enabling lets it sign in again. */
  static JsonObject setFacilitatorDisabled(Tx tx, JsonObject body) throws SQLException {
    Actor actor = requireAdmin(tx, body);
    String facilitatorId = Input.text(body, "facilitatorId", 1, 64);
    boolean disabled = Input.flag(body, "disabled", true);
    JsonObject target = account(tx, facilitatorId);
    if (target.getInteger("admin") == 1) {
      throw ErrorCode.FORBIDDEN.failure("The admin account cannot be disabled");
    }
    tx.update("UPDATE facilitators SET disabled_at = ? WHERE id = ?", disabled ? tx.now : null, facilitatorId);
    JsonObject change = new JsonObject().put("accounts", new JsonArray().add(new JsonObject()
      .put("subject", facilitatorId).put("disabled", disabled).put("at", tx.now)));
    if (disabled) {
      change.put("cutoffs", new JsonArray().add(cutoff(tx, facilitatorId)));
    }
    tx.revoked(change);
    tx.audit(actor, disabled ? "facilitator.disable" : "facilitator.enable", null,
      new JsonObject().put("facilitatorId", facilitatorId).put("username", target.getString("username")), source(body));
    return publicAccount(target).put("disabled", disabled);
  }

  /**
   * The account's own new password, or the admin's reset of another's. Either ends the account's
   * sessions issued before now; the caller changing its own password gets a fresh token after this.
   */
  static JsonObject setFacilitatorPassword(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String facilitatorId = Input.text(body, "facilitatorId", 1, 64);
    boolean own = facilitatorId.equals(actor.id());
    if (!own) {
      requireAdmin(tx, body);
    }
    JsonObject target = account(tx, facilitatorId);
    tx.update("UPDATE facilitators SET password_hash = ? WHERE id = ?", Input.text(body, "passwordHash", 20, 500),
      facilitatorId);
    tx.revoked(new JsonObject().put("cutoffs", new JsonArray().add(cutoff(tx, facilitatorId))));
    tx.audit(actor, own ? "facilitator.password-change" : "facilitator.password-reset", null,
      new JsonObject().put("facilitatorId", facilitatorId).put("username", target.getString("username")), source(body));
    return publicAccount(target).put("notBefore", tx.now);
  }

  /**
   * Sign-out: the sessions stay refused until their tokens expire; older revocations are pruned here.
   * Each session ended is audited as its holder's sign-out.
   */
  static JsonObject revokeSessions(Tx tx, JsonObject body) throws SQLException {
    tx.update("DELETE FROM revoked_sessions WHERE expires_at <= ?", tx.now);
    tx.update("DELETE FROM session_cutoffs WHERE not_before < ?", tx.now - Tokens.LONGEST_TTL_S * 1000L);
    JsonArray sessions = new JsonArray();
    for (Object item : body.getJsonArray("sessions", new JsonArray())) {
      if (!(item instanceof JsonObject session)) {
        throw ErrorCode.INVALID.failure("sessions must be objects");
      }
      String sessionId = Input.text(session, "sessionId", 1, 64);
      String subject = Input.text(session, "subject", 1, 64);
      long issuedAt = session.getLong("issuedAt", 0L);
      long expiresAt = session.getLong("expiresAt", 0L);
      if (expiresAt > tx.now) {
        tx.update("INSERT OR IGNORE INTO revoked_sessions (session_id, subject, issued_at, expires_at) VALUES (?, ?, ?, ?)",
          sessionId, subject, issuedAt, expiresAt);
        sessions.add(new JsonObject().put("sessionId", sessionId).put("subject", subject)
          .put("issuedAt", issuedAt).put("expiresAt", expiresAt));
        String role = "ATTENDEE".equals(session.getString("role")) ? "ATTENDEE" : "FACILITATOR";
        tx.audit(role, subject, "account.signout", Input.optionalText(session, "codelabId", 64, null),
          new JsonObject().put("sessionId", sessionId), source(body));
      }
    }
    if (!sessions.isEmpty()) {
      tx.revoked(new JsonObject().put("sessions", sessions));
    }
    return new JsonObject().put("revoked", sessions.size());
  }

  /** The address the API saw the request come from; these commands are never sent through the realtime bridge. */
  static String source(JsonObject body) {
    return Input.optionalText(body, "source", 200, null);
  }

  private static JsonObject cutoff(Tx tx, String subject) throws SQLException {
    tx.update("INSERT INTO session_cutoffs (subject, not_before) VALUES (?, ?) "
      + "ON CONFLICT (subject) DO UPDATE SET not_before = max(not_before, excluded.not_before)", subject, tx.now);
    return new JsonObject().put("subject", subject).put("notBefore", tx.now);
  }

  /** Admin status is read here, in the database, never taken from the caller. */
  static Actor requireAdmin(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    if (tx.one("SELECT 1 AS admin FROM facilitators WHERE id = ? AND is_admin = 1 AND disabled_at IS NULL",
      actor.id()) == null) {
      throw ErrorCode.FORBIDDEN.failure("Only the instance admin may do that");
    }
    return actor;
  }

  private static JsonObject account(Tx tx, String facilitatorId) throws SQLException {
    JsonObject target = tx.one("SELECT id, username, display_name AS displayName, is_admin AS admin, "
      + "disabled_at AS disabledAt FROM facilitators WHERE id = ?", facilitatorId);
    if (target == null) {
      throw ErrorCode.NOT_FOUND.failure("No facilitator " + facilitatorId);
    }
    return target;
  }

  private static JsonObject publicAccount(JsonObject row) {
    return new JsonObject().put("id", row.getString("id")).put("username", row.getString("username"))
      .put("displayName", row.getString("displayName")).put("admin", row.getInteger("admin") == 1)
      .put("disabled", row.getValue("disabledAt") != null);
  }

  private static JsonObject insertFacilitator(Tx tx, JsonObject body) throws SQLException {
    String username = Input.text(body, "username", 3, 64);
    String displayName = Input.optionalText(body, "displayName", 100, username);
    String passwordHash = Input.text(body, "passwordHash", 20, 500);
    if (tx.one("SELECT id FROM facilitators WHERE username = ?", username) != null) {
      throw ErrorCode.CONFLICT.failure("The username " + username + " is taken");
    }
    String id = tx.newId();
    tx.update("INSERT INTO facilitators (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
      id, username, displayName, passwordHash, tx.now);
    return new JsonObject().put("id", id).put("username", username).put("displayName", displayName);
  }
}

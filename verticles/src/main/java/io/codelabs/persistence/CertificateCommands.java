package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;

/** Certificates: issued to an attendee the writer finds complete, revoked by a facilitator. */
final class CertificateCommands {
  /** 144 random bits: the id is the only secret between a verify URL and whoever guesses it. */
  private static final int ID_BYTES = 18;
  private static final int MAX_NAME = 80;

  private CertificateCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.CERTIFICATE_ISSUE, CertificateCommands::issue);
    commands.put(Address.CERTIFICATE_REVOKE, CertificateCommands::revoke);
  }

  static JsonObject issue(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    JsonObject issued = tx.one(Certificates.SELECT + " WHERE c.attendee_id = ?", actor.id());
    if (issued != null) {
      return new JsonObject().put("duplicate", true).put("certificate", Certificates.withAttendee(issued));
    }
    JsonObject completion = Completion.reassess(tx, codelabId, actor.id());
    if (!completion.getBoolean("complete")) {
      throw ErrorCode.CONFLICT.failure("A certificate comes with completing the codelab; still missing: "
        + String.join(", ", completion.getJsonArray("missing").stream().map(String::valueOf).toList()));
    }
    JsonObject facts = tx.one("""
      SELECT a.nickname, a.joined_at AS joinedAt, c.title, c.author,
        COALESCE((SELECT f.display_name FROM codelab_members m JOIN facilitators f ON f.id = m.facilitator_id
          WHERE m.codelab_id = c.id AND m.role = 'owner'), '') AS owner
      FROM attendees a JOIN codelabs c ON c.id = a.codelab_id WHERE a.id = ?""", actor.id());
    String name = body.getValue("name") == null ? facts.getString("nickname") : printedName(body);
    String facilitator = facts.getString("author").isBlank() ? facts.getString("owner") : facts.getString("author");
    long completedAt = completion.getLong("completedAt");
    long startedAt = Math.min(facts.getLong("joinedAt"), completedAt);
    long minutes = Math.max(1, Math.round((completedAt - startedAt) / 60_000.0));
    String id = newId(tx);
    tx.update("""
      INSERT INTO certificates (id, codelab_id, attendee_id, name, codelab_title, facilitator_name, started_at,
        completed_at, issued_at, duration_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
      id, codelabId, actor.id(), name, facts.getString("title"), facilitator, startedAt, completedAt, tx.now, minutes);
    JsonObject certificate = Certificates.withAttendee(tx.one(Certificates.SELECT + " WHERE c.id = ?", id));
    tx.audit(actor, "certificate.issue", codelabId, new JsonObject().put("certificateId", id));
    long seq = tx.emit(EventType.CERTIFICATE_ISSUED).in(codelabId).by(actor).toInboxOf(actor.id())
      .with(new JsonObject().put("certificate", certificate));
    return tx.eventful(seq, false).put("certificate", certificate);
  }

  static JsonObject revoke(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String certificateId = body.getString("certificateId");
    String reason = Input.optionalText(body, "reason", 500, "");
    JsonObject row = tx.one(Certificates.SELECT + " WHERE c.id = ? AND c.codelab_id = ?", certificateId, codelabId);
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure("No certificate " + certificateId + " in this codelab");
    }
    if (row.getValue("revokedAt") != null) {
      throw ErrorCode.CONFLICT.failure("This certificate is already revoked");
    }
    tx.update("UPDATE certificates SET revoked_at = ?, revoked_by = ?, revocation_reason = ? WHERE id = ?",
      tx.now, actor.id(), reason, certificateId);
    JsonObject certificate = Certificates.withAttendee(tx.one(Certificates.SELECT + " WHERE c.id = ?", certificateId));
    tx.audit(actor, "certificate.revoke", codelabId, new JsonObject().put("certificateId", certificateId)
      .put("reason", reason));
    long seq = tx.emit(EventType.CERTIFICATE_REVOKED).in(codelabId).by(actor).toInboxOf(row.getString("attendeeId"))
      .with(new JsonObject().put("certificate", certificate));
    return tx.eventful(seq, false).put("certificate", certificate);
  }

  private static String printedName(JsonObject body) {
    Object raw = body.getValue("name");
    String name = raw instanceof String text ? Nicknames.display(text) : "";
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw ErrorCode.INVALID.failure("name must be text of 1 to " + MAX_NAME + " visible characters");
    }
    return name;
  }

  /** Never starting with '-' or '_': a spreadsheet reading the results CSV would take a leading '-' for a formula. */
  private static String newId(Tx tx) {
    byte[] bytes = new byte[ID_BYTES];
    String id;
    do {
      tx.randomBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (!Character.isLetterOrDigit(id.charAt(0)));
    return id;
  }
}

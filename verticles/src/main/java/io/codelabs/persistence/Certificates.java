package io.codelabs.persistence;

import io.codelabs.credentials.Award;
import io.vertx.core.json.JsonObject;

/** Certificate rows and the shapes they are answered in: public (anyone with the id) or with the attendee. */
final class Certificates {
  /** Columns of a certificate with its attendee's nickname; append a WHERE clause. */
  static final String SELECT = """
    SELECT c.id, c.codelab_id AS codelabId, c.attendee_id AS attendeeId, a.nickname, c.name,
      c.codelab_title AS codelabTitle, c.facilitator_name AS facilitatorName, c.started_at AS startedAt,
      c.completed_at AS completedAt, c.issued_at AS issuedAt, c.duration_minutes AS durationMinutes,
      c.revoked_at AS revokedAt, c.revocation_reason AS revocationReason
    FROM certificates c JOIN attendees a ON a.id = c.attendee_id""";

  private Certificates() {
  }

  /** What the verify page shows: no attendee or codelab ids. */
  static JsonObject publicView(JsonObject row) {
    String id = row.getString("id");
    JsonObject certificate = new JsonObject()
      .put("id", id)
      .put("name", row.getString("name"))
      .put("codelabTitle", row.getString("codelabTitle"))
      .put("facilitatorName", row.getString("facilitatorName"))
      .put("issuedAt", row.getLong("issuedAt"))
      .put("completedAt", row.getLong("completedAt"))
      .put("durationMinutes", row.getLong("durationMinutes"))
      .put("verifyUrl", Award.verifyPath(id))
      .put("pdfUrl", Award.pdfPath(id))
      .put("credentialUrl", Award.credentialPath(id))
      .put("status", row.getValue("revokedAt") == null ? "valid" : "revoked");
    if (row.getValue("revokedAt") != null) {
      certificate.put("revokedAt", row.getLong("revokedAt")).put("revocationReason", row.getString("revocationReason"));
    }
    return certificate;
  }

  /** For the attendee it belongs to and the codelab's facilitators. */
  static JsonObject withAttendee(JsonObject row) {
    return publicView(row)
      .put("codelabId", row.getString("codelabId"))
      .put("attendeeId", row.getString("attendeeId"))
      .put("nickname", row.getString("nickname"));
  }

  static Award award(JsonObject row) {
    return new Award(row.getString("id"), row.getString("name"), row.getString("codelabId"),
      row.getString("codelabTitle"), row.getString("facilitatorName"), row.getLong("startedAt"),
      row.getLong("completedAt"), row.getLong("issuedAt"), row.getLong("durationMinutes"));
  }
}

package io.codelabs.persistence;

/**
 * The column lists of rows that commands answer with and queries list, so an event carries a help
 * request, announcement, submission or material in exactly the shape a later read returns it.
 */
final class Rows {
  static final String HELP = """
    h.id, h.codelab_id AS codelabId, h.attendee_id AS attendeeId, a.nickname, h.step, h.message,
    CASE WHEN h.cancelled_at IS NULL THEN h.status ELSE 'cancelled' END AS status,
    h.claimed_by AS claimedBy, f.display_name AS claimedByName, h.created_at AS createdAt,
    h.claimed_at AS claimedAt, h.resolved_at AS resolvedAt, h.cancelled_at AS cancelledAt
    FROM help_requests h JOIN attendees a ON a.id = h.attendee_id
    LEFT JOIN facilitators f ON f.id = h.claimed_by""";
  static final String ANNOUNCEMENT = """
    n.id, n.codelab_id AS codelabId, n.text, n.pinned = 1 AS pinned, n.author_id AS authorId,
    f.display_name AS authorName, n.created_at AS createdAt
    FROM announcements n LEFT JOIN facilitators f ON f.id = n.author_id""";
  static final String SUBMISSION = """
    s.id, s.codelab_id AS codelabId, s.attendee_id AS attendeeId, a.nickname, s.kind, s.title, s.url,
    s.file_name AS fileName, s.content_type AS contentType, s.size_bytes AS sizeBytes, s.sha256,
    s.created_at AS createdAt
    FROM submissions s JOIN attendees a ON a.id = s.attendee_id""";
  static final String MATERIAL = """
    m.id, m.codelab_id AS codelabId, m.kind, m.title, m.url, m.file_name AS fileName,
    m.content_type AS contentType, m.size_bytes AS sizeBytes, m.sha256, m.created_by AS createdBy,
    m.created_at AS createdAt
    FROM materials m""";
  /** How many submissions and bytes an attendee has handed in. */
  static final String SUBMISSION_USAGE = "SELECT count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes "
    + "FROM submissions WHERE attendee_id = ?";

  private Rows() {
  }
}

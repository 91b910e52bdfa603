package io.codelabs.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the writer keeps in memory between statements: the sequence counters of codelabs and
 * attendees, the progress state of attendees, and the event rows appended since the last flush;
 * it adds the keys of the rows it writes to the file's {@link EventIds}.
 * Sound only because the writer is the only one writing and its term fences any other. Flushed to
 * the open transaction before it commits (and before any command that may read what it holds);
 * forgotten whenever a transaction fails, so it is loaded again from what the file holds.
 * Used only on the writer thread.
 */
final class Journal {
  /** Beyond these, the caches are dropped after a commit (nothing is dirty then) and filled again on use. */
  static final int MAX_CODELABS = 1_000;
  static final int MAX_ATTENDEES = 50_000;

  private static final String INSERT_EVENT = """
    INSERT INTO events (codelab_id, seq, event_id, stream, attendee_id, stream_seq, type, actor_role,
      actor_id, payload, created_at, term) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String SAVE_CODELAB =
    "UPDATE codelabs SET last_seq = ?, public_seq = ?, facilitators_seq = ? WHERE id = ?";
  private static final String SAVE_ATTENDEE =
    "UPDATE attendees SET current_step = ?, step_started_at = ?, last_seen_at = ?, inbox_seq = ? WHERE id = ?";

  /** A codelab's counters and what progress reports check against. */
  static final class Codelab {
    final String id;
    long lastSeq;
    long publicSeq;
    long facilitatorsSeq;
    final int stepCount;
    final Integer heldAt;

    private Codelab(String id, long lastSeq, long publicSeq, long facilitatorsSeq, int stepCount, Integer heldAt) {
      this.id = id;
      this.lastSeq = lastSeq;
      this.publicSeq = publicSeq;
      this.facilitatorsSeq = facilitatorsSeq;
      this.stepCount = stepCount;
      this.heldAt = heldAt;
    }

    private Codelab copy() {
      return new Codelab(id, lastSeq, publicSeq, facilitatorsSeq, stepCount, heldAt);
    }

    private void restore(Codelab before) {
      lastSeq = before.lastSeq;
      publicSeq = before.publicSeq;
      facilitatorsSeq = before.facilitatorsSeq;
    }
  }

  /** An attendee's progress columns, its inbox counter and the steps it completed. */
  static final class Attendee {
    final String id;
    final String codelabId;
    int currentStep;
    long stepStartedAt;
    long lastSeenAt;
    long inboxSeq;
    final TreeSet<Integer> completedSteps;

    private Attendee(String id, String codelabId, int currentStep, long stepStartedAt, long lastSeenAt, long inboxSeq,
                     TreeSet<Integer> completedSteps) {
      this.id = id;
      this.codelabId = codelabId;
      this.currentStep = currentStep;
      this.stepStartedAt = stepStartedAt;
      this.lastSeenAt = lastSeenAt;
      this.inboxSeq = inboxSeq;
      this.completedSteps = completedSteps;
    }

    private Attendee copy() {
      return new Attendee(id, codelabId, currentStep, stepStartedAt, lastSeenAt, inboxSeq, new TreeSet<>(completedSteps));
    }

    private void restore(Attendee before) {
      currentStep = before.currentStep;
      stepStartedAt = before.stepStartedAt;
      lastSeenAt = before.lastSeenAt;
      inboxSeq = before.inboxSeq;
      completedSteps.clear();
      completedSteps.addAll(before.completedSteps);
    }
  }

  /** An event row waiting for the next flush. */
  record Row(String codelabId, long seq, String eventId, String stream, String attendeeId, long streamSeq, String type,
             String actorRole, String actorId, String payload, long createdAt, long term) {
  }

  /** What one command changed, so a failing command is undone in memory as its savepoint is in the file. */
  final class Undo {
    private final int rowsBefore = rows.size();
    private final Map<Codelab, Codelab> codelabsBefore = new HashMap<>();
    private final Map<Attendee, Attendee> attendeesBefore = new HashMap<>();

    void touch(Codelab codelab) {
      codelabsBefore.computeIfAbsent(codelab, Codelab::copy);
      dirtyCodelabs.add(codelab);
    }

    void touch(Attendee attendee) {
      attendeesBefore.computeIfAbsent(attendee, Attendee::copy);
      dirtyAttendees.add(attendee);
    }

    void apply() {
      codelabsBefore.forEach(Codelab::restore);
      attendeesBefore.forEach(Attendee::restore);
      while (rows.size() > rowsBefore) {
        Row row = rows.remove(rows.size() - 1);
        if (row.eventId != null) {
          rowsByEventId.remove(row.eventId);
        }
      }
    }
  }

  private final Statements statements;
  private final EventIds eventIds;
  private final Map<String, Codelab> codelabs = new HashMap<>();
  private final Map<String, Attendee> attendees = new HashMap<>();
  private final Set<Codelab> dirtyCodelabs = new LinkedHashSet<>();
  private final Set<Attendee> dirtyAttendees = new LinkedHashSet<>();
  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Row> rowsByEventId = new HashMap<>();

  Journal(Statements statements, EventIds eventIds) {
    this.statements = statements;
    this.eventIds = eventIds;
  }

  Undo undo() {
    return new Undo();
  }

  /** The codelab, or null when there is none. */
  Codelab codelab(String id) throws SQLException {
    Codelab codelab = codelabs.get(id);
    if (codelab != null) {
      return codelab;
    }
    PreparedStatement load = statements.of("""
      SELECT last_seq, public_seq, facilitators_seq, (SELECT count(*) FROM steps WHERE codelab_id = c.id),
        held_at_step FROM codelabs c WHERE id = ?""");
    load.setString(1, id);
    try (ResultSet row = load.executeQuery()) {
      if (!row.next()) {
        return null;
      }
      int heldAt = row.getInt(5);
      boolean held = !row.wasNull();
      codelab = new Codelab(id, row.getLong(1), row.getLong(2), row.getLong(3), row.getInt(4), held ? heldAt : null);
    }
    codelabs.put(id, codelab);
    return codelab;
  }

  /** The attendee of this codelab, or null when there is none. */
  Attendee attendee(String codelabId, String id) throws SQLException {
    Attendee attendee = attendees.get(id);
    if (attendee != null) {
      return attendee.codelabId.equals(codelabId) ? attendee : null;
    }
    PreparedStatement load = statements.of(
      "SELECT codelab_id, current_step, step_started_at, last_seen_at, inbox_seq FROM attendees WHERE id = ?");
    load.setString(1, id);
    try (ResultSet row = load.executeQuery()) {
      if (!row.next()) {
        return null;
      }
      attendee = new Attendee(id, row.getString(1), row.getInt(2), row.getLong(3), row.getLong(4), row.getLong(5),
        new TreeSet<>());
    }
    PreparedStatement steps = statements.of("SELECT step FROM step_completions WHERE attendee_id = ?");
    steps.setString(1, id);
    try (ResultSet row = steps.executeQuery()) {
      while (row.next()) {
        attendee.completedSteps.add(row.getInt(1));
      }
    }
    attendees.put(id, attendee);
    return attendee.codelabId.equals(codelabId) ? attendee : null;
  }

  void append(Row row) {
    rows.add(row);
    if (row.eventId != null) {
      rowsByEventId.put(row.eventId, row);
    }
  }

  /** An event row appended since the last flush, by its idempotency key, or null. */
  Row pending(String eventId) {
    return rowsByEventId.get(eventId);
  }

  /** False only when the file holds no event row with this idempotency key. */
  boolean mightHold(String eventId) {
    return eventIds.mightHold(eventId);
  }

  /** The pending event row of this seq, or null. */
  Row pending(String codelabId, long seq) {
    for (int i = rows.size() - 1; i >= 0; i--) {
      Row row = rows.get(i);
      if (row.seq == seq && row.codelabId.equals(codelabId)) {
        return row;
      }
    }
    return null;
  }

  boolean dirty() {
    return !rows.isEmpty() || !dirtyCodelabs.isEmpty() || !dirtyAttendees.isEmpty();
  }

  /** Writes the pending event rows in one batch and the changed counters and progress into the open transaction. */
  void flush() throws SQLException {
    if (!rows.isEmpty()) {
      PreparedStatement insert = statements.of(INSERT_EVENT);
      for (Row row : rows) {
        insert.setString(1, row.codelabId);
        insert.setLong(2, row.seq);
        insert.setString(3, row.eventId);
        insert.setString(4, row.stream);
        insert.setString(5, row.attendeeId);
        insert.setLong(6, row.streamSeq);
        insert.setString(7, row.type);
        insert.setString(8, row.actorRole);
        insert.setString(9, row.actorId);
        insert.setString(10, row.payload);
        insert.setLong(11, row.createdAt);
        insert.setLong(12, row.term);
        insert.addBatch();
        if (row.eventId != null) {
          eventIds.add(row.eventId);
        }
      }
      insert.executeBatch();
      rows.clear();
      rowsByEventId.clear();
    }
    if (!dirtyCodelabs.isEmpty()) {
      PreparedStatement save = statements.of(SAVE_CODELAB);
      for (Codelab codelab : dirtyCodelabs) {
        save.setLong(1, codelab.lastSeq);
        save.setLong(2, codelab.publicSeq);
        save.setLong(3, codelab.facilitatorsSeq);
        save.setString(4, codelab.id);
        save.addBatch();
      }
      save.executeBatch();
      dirtyCodelabs.clear();
    }
    if (!dirtyAttendees.isEmpty()) {
      PreparedStatement save = statements.of(SAVE_ATTENDEE);
      for (Attendee attendee : dirtyAttendees) {
        save.setInt(1, attendee.currentStep);
        save.setLong(2, attendee.stepStartedAt);
        save.setLong(3, attendee.lastSeenAt);
        save.setLong(4, attendee.inboxSeq);
        save.setString(5, attendee.id);
        save.addBatch();
      }
      save.executeBatch();
      dirtyAttendees.clear();
    }
  }

  /**
   * Forgets everything, pending rows included: after a failed transaction, or before work that changes what it holds.
   * The file's idempotency keys stay: one written by a transaction that failed only costs a lookup in the file.
   */
  void forget() {
    codelabs.clear();
    attendees.clear();
    dirtyCodelabs.clear();
    dirtyAttendees.clear();
    rows.clear();
    rowsByEventId.clear();
  }

  /** After a commit: keeps the caches bounded. */
  void trim() {
    if (codelabs.size() > MAX_CODELABS || attendees.size() > MAX_ATTENDEES) {
      forget();
    }
  }

}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One command's view of the writer's open transaction: statements, access checks and the events
 * it appends. Used only on the writer thread.
 */
final class Tx {
  /** Column labels per query text: asking the driver for them costs a native call per column per row. */
  private static final Map<String, String[]> LABELS = new ConcurrentHashMap<>();
  /** Opens the command's savepoint; the writer does it only before the command's first write. */
  @FunctionalInterface
  interface Savepoint {
    void open() throws SQLException;
  }

  private final Statements statements;
  private final Journal journal;
  private final Journal.Undo undo;
  private final Savepoint savepoint;
  private final String epoch;
  private final long term;
  final long now;
  private final Entropy entropy;
  final List<JsonObject> events = new ArrayList<>();
  /** Revocation changes, published to every node after the commit like events. */
  final List<JsonObject> revocations = new ArrayList<>();

  Tx(Statements statements, Journal journal, Savepoint savepoint,
     String epoch, long term, long now, Entropy entropy) {
    this.statements = statements;
    this.journal = journal;
    this.undo = journal.undo();
    this.savepoint = savepoint;
    this.epoch = epoch;
    this.term = term;
    this.now = now;
    this.entropy = entropy;
  }

  /** Letters and digits nobody confuses when reading them off a projector (no 0/o, 1/l/i, u/v). */
  private static final String SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstwxyz";
  private static final int SHORT_CODE_LENGTH = 6;

  /** A short code no codelab has yet; in the writer's transaction, so two creations cannot take the same one. */
  String newShortCode() throws SQLException {
    for (;;) {
      StringBuilder code = new StringBuilder(SHORT_CODE_LENGTH);
      for (int i = 0; i < SHORT_CODE_LENGTH; i++) {
        code.append(SHORT_CODE_ALPHABET.charAt(entropy.nextInt(SHORT_CODE_ALPHABET.length())));
      }
      if (one("SELECT 1 AS taken FROM codelabs WHERE short_code = ?", code.toString()) == null) {
        return code.toString();
      }
    }
  }

  /**
   * Time-ordered UUIDs (version 7 layout) of the batch's time: new rows land at the end of their
   * primary-key index instead of splitting pages all over it.
   */
  String newId() {
    long high = (now << 16) | 0x7000L | (entropy.nextLong() & 0x0FFFL);
    long low = (entropy.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** Unguessable bytes, the same for whoever runs this batch again with its seed. */
  void randomBytes(byte[] into) {
    entropy.nextBytes(into);
  }

  int update(String sql, Object... args) throws SQLException {
    return bind(sql, args).executeUpdate();
  }

  /** The first row, column labels as keys, or null when there is none. */
  JsonObject one(String sql, Object... args) throws SQLException {
    List<JsonObject> rows = all(sql, args);
    return rows.isEmpty() ? null : rows.get(0);
  }

  List<JsonObject> all(String sql, Object... args) throws SQLException {
    List<JsonObject> rows = new ArrayList<>();
    try (ResultSet resultSet = bind(sql, args).executeQuery()) {
      String[] labels = LABELS.get(sql);
      if (labels == null) {
        labels = labels(resultSet.getMetaData());
        LABELS.put(sql, labels);
      }
      while (resultSet.next()) {
        JsonObject row = new JsonObject();
        for (int column = 0; column < labels.length; column++) {
          row.put(labels[column], resultSet.getObject(column + 1));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static String[] labels(ResultSetMetaData meta) throws SQLException {
    String[] labels = new String[meta.getColumnCount()];
    for (int column = 0; column < labels.length; column++) {
      labels[column] = meta.getColumnLabel(column + 1);
    }
    return labels;
  }

  /** The codelab's counters, step count and hold from the writer's memory, or null when there is none. */
  Journal.Codelab codelab(String codelabId) throws SQLException {
    return journal.codelab(codelabId);
  }

  /** The attendee's progress from the writer's memory, or null when this codelab has no such attendee. */
  Journal.Attendee attendee(String codelabId, String attendeeId) throws SQLException {
    return journal.attendee(codelabId, attendeeId);
  }

  /** Call before changing the attendee's fields: they are written at the flush, and restored if the command fails. */
  Journal.Attendee changing(Journal.Attendee attendee) {
    undo.touch(attendee);
    return attendee;
  }

  /** Puts back what this command changed in the writer's memory. */
  void undo() {
    undo.apply();
  }

  Access access(Actor actor, String codelabId) throws SQLException {
    JsonObject row = one(Access.SQL, Access.params(actor, codelabId));
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure("No codelab " + codelabId);
    }
    return Access.of(row.getString("role"));
  }

  /**
   * The seq of the event an earlier try of the same command produced, or null if this is the
   * first try. A key reused by someone else, or in another codelab, is a conflict, never a way to
   * read an event: the seq of another codelab would name an unrelated event of this one.
   */
  Long seenEvent(String eventId, Actor actor, String codelabId) throws SQLException {
    if (eventId == null) {
      return null;
    }
    Journal.Row pending = journal.pending(eventId);
    if (pending == null && !journal.mightHold(eventId)) {
      return null;
    }
    JsonObject row = pending != null
      ? new JsonObject().put("seq", pending.seq()).put("actor_id", pending.actorId()).put("codelab_id", pending.codelabId())
      : one("SELECT seq, actor_id, codelab_id FROM events WHERE event_id = ?", eventId);
    if (row == null) {
      return null;
    }
    if (!row.getString("actor_id").equals(actor.id()) || !row.getString("codelab_id").equals(codelabId)) {
      throw ErrorCode.CONFLICT.failure("eventId " + eventId + " is already used");
    }
    return row.getLong("seq");
  }

  /**
   * The data of an event already committed, to answer a retried command exactly as the first time.
   * A key the actor used in another codelab is a conflict too.
   */
  JsonObject eventData(String codelabId, long seq) throws SQLException {
    Journal.Row pending = journal.pending(codelabId, seq);
    if (pending != null) {
      return new JsonObject(pending.payload());
    }
    JsonObject row = one("SELECT payload FROM events WHERE codelab_id = ? AND seq = ?", codelabId, seq);
    if (row == null) {
      throw ErrorCode.CONFLICT.failure("This eventId is already used for another request");
    }
    return new JsonObject(row.getString("payload"));
  }

  /** Starts an event of this type; {@link Emission#with} appends it. */
  Emission emit(EventType type) {
    return new Emission(type);
  }

  /**
   * An event being described, read as a sentence:
   * {@code tx.emit(CHAT_POSTED).in(codelabId).by(actor).toEveryone().forRequest(eventId).with(data)}.
   */
  final class Emission {
    private final EventType type;
    private String codelabId;
    private Actor actor;
    private EventType.Stream stream;
    private String attendeeId;
    private String eventId;

    private Emission(EventType type) {
      this.type = type;
    }

    Emission in(String codelabId) {
      this.codelabId = codelabId;
      return this;
    }

    Emission by(Actor actor) {
      this.actor = actor;
      return this;
    }

    Emission toEveryone() {
      return to(EventType.Stream.PUBLIC, null);
    }

    Emission toFacilitators() {
      return to(EventType.Stream.FACILITATORS, null);
    }

    /** The attendee's own stream, which its codelab's facilitators also receive. */
    Emission toInboxOf(String attendeeId) {
      return to(EventType.Stream.ATTENDEE, attendeeId);
    }

    /** The idempotency key of the command this event answers, so a retry finds it. */
    Emission forRequest(String eventId) {
      this.eventId = eventId;
      return this;
    }

    /** Appends the event with the codelab's next seq and returns that seq; it is published only after the commit. */
    long with(JsonObject data) throws SQLException {
      if (codelabId == null || actor == null || stream == null) {
        throw new IllegalStateException(type.type + " needs a codelab, an actor and a stream");
      }
      return append(this, data);
    }

    private Emission to(EventType.Stream stream, String attendeeId) {
      if (!type.streams.contains(stream)) {
        throw new IllegalStateException(type.type + " is never sent on the " + stream.wire + " stream");
      }
      this.stream = stream;
      this.attendeeId = attendeeId;
      return this;
    }
  }

  private long append(Emission emission, JsonObject data) throws SQLException {
    String codelabId = emission.codelabId;
    Journal.Codelab codelab = journal.codelab(codelabId);
    if (codelab == null) {
      throw ErrorCode.NOT_FOUND.failure("No codelab " + codelabId);
    }
    undo.touch(codelab);
    long seq = ++codelab.lastSeq;
    long streamSeq = switch (emission.stream) {
      case PUBLIC -> ++codelab.publicSeq;
      case FACILITATORS -> ++codelab.facilitatorsSeq;
      case ATTENDEE -> {
        Journal.Attendee attendee = journal.attendee(codelabId, emission.attendeeId);
        if (attendee == null) {
          throw ErrorCode.NOT_FOUND.failure("No attendee " + emission.attendeeId + " in codelab " + codelabId);
        }
        yield ++changing(attendee).inboxSeq;
      }
    };
    String payload = data.encode();
    journal.append(new Journal.Row(codelabId, seq, emission.eventId, emission.stream.wire, emission.attendeeId,
      streamSeq, emission.type.type, emission.actor.role().name(), emission.actor.id(), payload, now, term));
    events.add(Events.json(codelabId, seq, epoch, emission.stream.wire, emission.attendeeId, streamSeq,
      emission.type.type, emission.eventId, now, data));
    return seq;
  }

  void audit(Actor actor, String action, String codelabId, JsonObject detail) throws SQLException {
    audit(actor.role().name(), actor.id(), action, codelabId, detail);
  }

  /** With the address the request came from, as the API saw it (null when the API did not say). */
  void audit(Actor actor, String action, String codelabId, JsonObject detail, String source) throws SQLException {
    audit(actor.role().name(), actor.id(), action, codelabId, detail, source);
  }

  /** For what nobody signed in did, such as guessing passwords: the role names the kind of actor id. */
  void audit(String actorRole, String actorId, String action, String codelabId, JsonObject detail) throws SQLException {
    audit(actorRole, actorId, action, codelabId, detail, null);
  }

  void audit(String actorRole, String actorId, String action, String codelabId, JsonObject detail, String source)
    throws SQLException {
    update("INSERT INTO audit_log (at, actor_role, actor_id, action, codelab_id, detail, source) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?)", now, actorRole, actorId, action, codelabId, detail.encode(), source);
  }

  void revoked(JsonObject change) {
    revocations.add(change);
  }

  JsonObject eventful(Long seq, boolean duplicate) {
    return new JsonObject().put("seq", seq).put("epoch", epoch).put("duplicate", duplicate);
  }

  JsonArray ints(String sql, Object... args) throws SQLException {
    JsonArray values = new JsonArray();
    for (JsonObject row : all(sql, args)) {
      values.add(row.getValue(row.fieldNames().iterator().next()));
    }
    return values;
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    if (!sql.startsWith("SELECT")) {
      savepoint.open();
    }
    PreparedStatement statement = statements.of(sql);
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
    return statement;
  }
}

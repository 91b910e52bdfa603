package io.codelabs.persistence;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The idempotency keys (events' {@code event_id}) a file holds, as Bloom filters: "no" is certain, "maybe" sends the
 * writer to the file. Nearly every command carries a key never seen, and looking each one up in the file's unique
 * index cost the writer about a fifth of its time per command. Every event the writer appends passes {@link #add};
 * a key added by a transaction that then rolled back only costs a lookup. A file whose rows change under the writer
 * (a snapshot installed) needs a new one. When a filter is full another {@link #GROWTH} times its size is started, so
 * the share of wrong "maybe"s stays about {@link #FALSE_POSITIVES} per filter however many events the file gathers.
 * A "no" reads every filter, each at random places in its bits, so the first is large (1.2 MB) and they grow fast:
 * few filters, and a key hashed once for all of them.
 */
final class EventIds {
  static final int FIRST_CAPACITY = 1 << 20;
  private static final int GROWTH = 4;
  private static final double FALSE_POSITIVES = 0.01;
  private static final HashFunction KEY_HASH = Hashing.farmHashFingerprint64();

  private final List<BloomFilter<Long>> filters = new ArrayList<>();
  private long capacity;
  private long added;

  private EventIds(long expected) {
    start(Math.max(FIRST_CAPACITY, 2 * expected));
  }

  /** Blocking: reads every key the file holds. */
  static EventIds of(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      long count;
      try (ResultSet row = statement.executeQuery("SELECT count(event_id) FROM events")) {
        row.next();
        count = row.getLong(1);
      }
      EventIds ids = new EventIds(count);
      try (ResultSet rows = statement.executeQuery("SELECT event_id FROM events WHERE event_id IS NOT NULL")) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    }
  }

  /** False only for a key the file does not hold. */
  boolean mightHold(String eventId) {
    long key = hash(eventId);
    for (BloomFilter<Long> filter : filters) {
      if (filter.mightContain(key)) {
        return true;
      }
    }
    return false;
  }

  void add(String eventId) {
    if (added == capacity) {
      start(GROWTH * capacity);
    }
    filters.get(filters.size() - 1).put(hash(eventId));
    added++;
  }

  private static long hash(String eventId) {
    return KEY_HASH.hashString(eventId, StandardCharsets.UTF_8).asLong();
  }

  private void start(long size) {
    filters.add(BloomFilter.create(Funnels.longFunnel(), size, FALSE_POSITIVES));
    capacity = size;
    added = 0;
  }
}

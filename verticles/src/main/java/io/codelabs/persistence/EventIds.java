package io.codelabs.persistence;

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
 * the share of wrong "maybe"s stays about 1.3 % per filter however many events the file gathers. A "no" reads every
 * filter, so the first is large (1.3 MB) and they grow fast: few filters, and a key hashed once for all of them.
 */
final class EventIds {
  static final int FIRST_CAPACITY = 1 << 20;
  private static final int GROWTH = 4;
  private static final HashFunction KEY_HASH = Hashing.farmHashFingerprint64();

  private final List<SplitBlockFilter> filters = new ArrayList<>();
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
    for (SplitBlockFilter filter : filters) {
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
    filters.get(filters.size() - 1).add(hash(eventId));
    added++;
  }

  private static long hash(String eventId) {
    return KEY_HASH.hashString(eventId, StandardCharsets.UTF_8).asLong();
  }

  private void start(long size) {
    filters.add(new SplitBlockFilter(size));
    capacity = size;
    added = 0;
  }

  /**
   * A split block Bloom filter, as Apache Parquet specifies it: a key sets one bit in each of the eight 32-bit words of
   * one 32-byte block, so adding or asking reads one or two cache lines. A classic Bloom filter (Guava's) reads seven
   * lines spread over its megabyte; in the writer, between SQLite's pages, each was a miss, and the two filter calls of
   * a command took a fifth of its time. At 10 bits a key, 1.3 % of keys never added answer "maybe" once it is full.
   */
  static final class SplitBlockFilter {
    private static final int BITS_PER_KEY = 10;
    private static final int[] SALT = {0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b,
      0x9efc4947, 0x5c6bfb31};
    private final int[] words;
    private final long blocks;

    SplitBlockFilter(long capacity) {
      blocks = Math.max(1, capacity * BITS_PER_KEY / 256);
      words = new int[Math.toIntExact(blocks * 8)];
    }

    void add(long key) {
      int block = block(key);
      for (int i = 0; i < 8; i++) {
        words[block + i] |= bit((int) key, i);
      }
    }

    boolean mightContain(long key) {
      int block = block(key);
      for (int i = 0; i < 8; i++) {
        if ((words[block + i] & bit((int) key, i)) == 0) {
          return false;
        }
      }
      return true;
    }

    /** The high half of the key picks the block, the low half the bits, as Parquet's filter does. */
    private int block(long key) {
      return (int) (((key >>> 32) * blocks) >>> 32) * 8;
    }

    private static int bit(int key, int word) {
      return 1 << ((key * SALT[word]) >>> 27);
    }
  }
}

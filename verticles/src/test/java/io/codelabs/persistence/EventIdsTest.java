package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The idempotency keys a file holds")
class EventIdsTest {
  private static final int UNSEEN = 20_000;

  @TempDir
  Path dir;

  @Test
  @DisplayName("are all known when read from the file; keys it does not hold are mostly known to be new")
  void readFromTheFile() throws Exception {
    Database.migrate(dir);
    List<String> stored = IntStream.range(0, 500).mapToObj(i -> "stored-" + i).toList();
    try (Connection connection = Database.writerConnection(dir, "NORMAL")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA foreign_keys = OFF");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events (codelab_id, seq, event_id, "
        + "stream, stream_seq, type, actor_role, actor_id, payload, created_at) "
        + "VALUES ('c1', ?, ?, 'public', ?, 'chat.message', 'ATTENDEE', 'a1', '{}', 0)")) {
        for (int seq = 1; seq <= stored.size() + 1; seq++) {
          insert.setLong(1, seq);
          insert.setString(2, seq <= stored.size() ? stored.get(seq - 1) : null);
          insert.setLong(3, seq);
          insert.executeUpdate();
        }
      }
      EventIds ids = EventIds.of(connection);

      assertThat(stored).allMatch(ids::mightHold);
      assertThat(wronglyHeld(ids, "new-")).isLessThan(0.02);
    }
  }

  @Test
  @DisplayName("stay all known, and new keys mostly known to be new, as the file gathers far more than the first filter holds")
  void growBeyondTheFirstFilter() throws Exception {
    Database.migrate(dir);
    try (Connection connection = Database.writerConnection(dir, "NORMAL")) {
      EventIds ids = EventIds.of(connection);
      List<String> added = IntStream.range(0, 2 * EventIds.FIRST_CAPACITY).mapToObj(i -> "added-" + i).toList();
      added.forEach(ids::add);

      assertThat(added).allMatch(ids::mightHold);
      // One filter sized for the first half of these keys would answer "maybe" for about 18 % of new keys by now.
      assertThat(wronglyHeld(ids, "new-")).isLessThan(0.05);
    }
  }

  @Test
  @DisplayName("answer \"maybe\" for few keys never added once a filter holds all it was sized for")
  void fullFilter() {
    EventIds.SplitBlockFilter filter = new EventIds.SplitBlockFilter(EventIds.FIRST_CAPACITY);
    SplittableRandom random = new SplittableRandom(7);
    long[] added = random.longs(EventIds.FIRST_CAPACITY).toArray();
    for (long key : added) {
      filter.add(key);
    }

    assertThat(Arrays.stream(added).allMatch(filter::mightContain)).isTrue();
    assertThat(random.longs(UNSEEN).filter(filter::mightContain).count() / (double) UNSEEN).isLessThan(0.02);
  }

  private static double wronglyHeld(EventIds ids, String prefix) {
    return IntStream.range(0, UNSEEN).filter(i -> ids.mightHold(prefix + i)).count() / (double) UNSEEN;
  }
}

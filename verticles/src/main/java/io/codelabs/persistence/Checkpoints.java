package io.codelabs.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the writer's WAL into the database from a thread and a connection of their own. SQLite's automatic checkpoint
 * runs inside the commit that crosses its threshold, where it held up every command queued behind it while it copied
 * and synced. These checkpoints run beside the writer, passive (never waiting for a reader). Only the writer, between
 * two batches, can let the WAL start over, and a longer WAL makes every page the writer reads cost more: past
 * {@link #WRITER_CHECKPOINT_FRAMES} the writer checkpoints what is left itself, as SQLite's automatic one would.
 */
final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  /** SQLite's own threshold for its automatic checkpoint. */
  private static final int WRITER_CHECKPOINT_FRAMES = 1000;
  /** A checkpoint that copied fewer frames than this waits {@link #LIGHT_LOAD_PAUSE_MS} before the next. */
  private static final int BUSY_FRAMES = 64;
  /** Under light load a checkpoint after every commit would cost a sync of the database for each. */
  private static final long LIGHT_LOAD_PAUSE_MS = 5;

  private final Connection connection;
  private final Thread thread;
  private final Object signal = new Object();
  private boolean written;
  private boolean closing;
  /** The frames in the WAL when the last checkpoint ran. */
  private volatile int walFrames;

  private Checkpoints(Connection connection) {
    this.connection = connection;
    this.thread = new Thread(this::run, "codelabs-checkpoint");
    thread.setDaemon(true);
  }

  /** Blocking. Takes the checkpoints over from the writer's own connection: SQLite's automatic ones stop there. */
  static Checkpoints start(Connection writer, Path dataDir) throws SQLException {
    try (Statement statement = writer.createStatement()) {
      statement.execute("PRAGMA wal_autocheckpoint = 0");
    }
    Checkpoints checkpoints = new Checkpoints(Database.writerConnection(dataDir, "NORMAL"));
    checkpoints.thread.start();
    return checkpoints;
  }

  /** On the writer's thread after each commit, outside any transaction. */
  void committed(Statements writer) throws SQLException {
    synchronized (signal) {
      written = true;
      signal.notifyAll();
    }
    if (walFrames > WRITER_CHECKPOINT_FRAMES) {
      walFrames = 0;
      try (ResultSet row = writer.of("PRAGMA wal_checkpoint(PASSIVE)").executeQuery()) {
        row.next();
      }
    }
  }

  /** Blocking: waits for a checkpoint in progress to end. */
  void close() throws SQLException {
    synchronized (signal) {
      closing = true;
      signal.notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }

  /** One checkpoint after another while the writer is busy: the less each leaves, the less the writer's own copies. */
  private void run() {
    int backfilled = 0;
    while (awaitWrites()) {
      try {
        int[] wal = checkpoint();
        walFrames = wal[0];
        // A WAL that started over since the last checkpoint holds only frames it has not seen.
        int copied = wal[1] >= backfilled ? wal[1] - backfilled : wal[1];
        backfilled = wal[1];
        if (copied < BUSY_FRAMES) {
          Thread.sleep(LIGHT_LOAD_PAUSE_MS);
        }
      } catch (SQLException e) {
        LOG.warn("Checkpoint failed; the next one copies what this one did not", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Until something was written since the last checkpoint; false once closing. */
  private boolean awaitWrites() {
    synchronized (signal) {
      try {
        while (!closing && !written) {
          signal.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      written = false;
      return !closing;
    }
  }

  /** The frames in the WAL and those copied into the database so far, as the checkpoint left them. */
  private int[] checkpoint() throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      return row.next() ? new int[] {row.getInt(2), row.getInt(3)} : new int[] {0, 0};
    }
  }
}

package io.codelabs.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's batches on its own SQLite file, behind the writer lease: every transaction first
 * checks the lease still holds this writer's term, so a writer that another took over from stops
 * before it writes anything.
 */
final class OwnFile implements Writer.BatchLog {
  private static final Logger LOG = LoggerFactory.getLogger(OwnFile.class);
  private final Connection connection;
  private final long term;
  private final BatchRunner runner;
  /** The file's WAL when the writer syncs it after its commits (synchronous=FULL); null when nothing is synced. */
  private final Path wal;
  private FileChannel walChannel;
  private final Checkpoints checkpoints;

  /**
   * At synchronous=FULL the connection commits without syncing (NORMAL) and {@link #sync} syncs the WAL the commits
   * wrote: a commit is then as durable as SQLite's FULL makes it, with one sync for every batch committed meanwhile,
   * while the writer already runs the next batch.
   */
  static Connection connect(Path dataDir, String synchronous) throws SQLException {
    return Database.writerConnection(dataDir, syncsWal(synchronous) ? "NORMAL" : synchronous);
  }

  /** Blocking: starts the file's {@link Checkpoints}. */
  OwnFile(Connection connection, Path dataDir, String synchronous, String epoch, long term) throws SQLException {
    this.connection = connection;
    this.term = term;
    this.runner = new BatchRunner(connection, epoch, term, EventIds.of(connection));
    this.wal = syncsWal(synchronous) ? dataDir.resolve(Database.FILE_NAME + "-wal") : null;
    this.checkpoints = Checkpoints.start(connection, dataDir);
  }

  private static boolean syncsWal(String synchronous) {
    return synchronous.equals("FULL");
  }

  /**
   * Blocking, before any writer starts: makes the caller the writer of the next term, so every
   * transaction of an earlier writer fails its lease check from this commit on.
   */
  static long takeLease(Connection connection, String holder) throws SQLException {
    try (Statement control = connection.createStatement()) {
      control.execute("BEGIN IMMEDIATE");
      try {
        long term = nextTerm(connection, holder);
        control.execute("COMMIT");
        return term;
      } catch (SQLException e) {
        control.execute("ROLLBACK");
        throw e;
      }
    }
  }

  private static long nextTerm(Connection connection, String holder) throws SQLException {
    try (PreparedStatement bump = connection.prepareStatement(
      "UPDATE writer_lease SET term = term + 1, holder = ?, since = ? WHERE id = 1 RETURNING term")) {
      bump.setString(1, holder);
      bump.setLong(2, System.currentTimeMillis());
      try (ResultSet row = bump.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  @Override
  public List<BatchRunner.Outcome> commit(List<Writer.Pending> batch, long now, byte[] seed) throws Writer.Fenced {
    List<BatchRunner.Outcome> outcomes = runner.run(batch.stream().map(Writer.Pending::call).toList(), now, seed,
      this::checkLease);
    try {
      checkpoints.committed(runner.statements());
    } catch (SQLException e) {
      LOG.warn("The writer's checkpoint failed; the next batch tries again", e);
    }
    return outcomes;
  }

  /** The WAL stays the same file while the writer's connection is open: SQLite only empties it after a checkpoint. */
  @Override
  public void sync() throws IOException {
    if (wal == null) {
      return;
    }
    if (walChannel == null) {
      walChannel = FileChannel.open(wal, StandardOpenOption.WRITE);
    }
    walChannel.force(false);
  }

  @Override
  public void maintain(Writer.Maintenance work) throws SQLException, Writer.Fenced {
    runner.release();
    try {
      checkLease(runner.statements());
      work.run(connection);
    } finally {
      runner.release();
    }
  }

  @Override
  public void checkIdle() throws SQLException, Writer.Fenced {
    checkLease(runner.statements());
  }

  @Override
  public void close() throws SQLException {
    checkpoints.close();
    runner.close();
    connection.close();
    if (walChannel != null) {
      try {
        walChannel.close();
      } catch (IOException e) {
        throw new SQLException("Closing the WAL failed", e);
      }
    }
  }

  private void checkLease(Statements statements) throws SQLException, Writer.Fenced {
    try (ResultSet row = statements.of("SELECT term FROM writer_lease WHERE id = 1").executeQuery()) {
      if (!row.next() || row.getLong(1) != term) {
        throw new Writer.Fenced("Writer term " + term + " was taken over");
      }
    }
  }
}

package io.codelabs.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The writer's batches on its own SQLite file, behind the writer lease: every transaction first
 * checks the lease still holds this writer's term, so a writer that another took over from stops
 * before it writes anything.
 */
final class OwnFile implements Writer.BatchLog {
  private final Connection connection;
  private final long term;
  private final BatchRunner runner;

  OwnFile(Connection connection, String epoch, long term) {
    this.connection = connection;
    this.term = term;
    this.runner = new BatchRunner(connection, epoch, term);
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
    return runner.run(batch.stream().map(Writer.Pending::call).toList(), now, seed, this::checkLease);
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
    runner.close();
    connection.close();
  }

  private void checkLease(Statements statements) throws SQLException, Writer.Fenced {
    try (ResultSet row = statements.of("SELECT term FROM writer_lease WHERE id = 1").executeQuery()) {
      if (!row.next() || row.getLong(1) != term) {
        throw new Writer.Fenced("Writer term " + term + " was taken over");
      }
    }
  }
}

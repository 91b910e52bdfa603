package io.codelabs.persistence;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch of commands in ONE transaction on the writer's connection, every command inside its
 * own savepoint so one bad command does not undo the others. What a batch writes depends only on
 * the file, the commands' bodies, the batch's time and its seed. Used by one thread at a time.
 */
final class BatchRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

  record Call(Writer.Command command, JsonObject body) {
  }

  /** A command's reply or failure, with the events and revocations to publish once the batch is committed. */
  record Outcome(JsonObject reply, List<JsonObject> events, List<JsonObject> revocations, RuntimeException failure) {
    static Outcome refused(String detail) {
      return new Outcome(null, List.of(), List.of(), ErrorCode.BUSY.failure(detail));
    }
  }

  /** Runs first in every transaction; throwing stops the batch before anything is written. */
  @FunctionalInterface
  interface Check {
    void run(Statements statements) throws SQLException, Writer.Fenced;
  }

  private final Connection connection;
  private final Statements statements;
  private final Journal journal;
  private final String epoch;
  private final long term;

  /** {@code eventIds}: those the connection's file holds, kept by whoever keeps the connection. */
  BatchRunner(Connection connection, String epoch, long term, EventIds eventIds) {
    this.connection = connection;
    this.statements = new Statements(connection);
    this.journal = new Journal(statements, eventIds);
    this.epoch = epoch;
    this.term = term;
  }

  /** One outcome per call, in order: the batch's rows written together, or, when they could not be, each command's own. */
  List<Outcome> run(List<Call> calls, long now, byte[] seed, Check check) throws Writer.Fenced {
    List<Outcome> batched = transact(calls, now, seed, check, false);
    return batched != null ? batched : transact(calls, now, seed, check, true);
  }

  /** Before work on the connection outside any transaction: it finds no statement open and no memory left. */
  void release() {
    // An open cached statement counts as in progress for SQLite and makes VACUUM fail; they are prepared again on use.
    statements.close();
    journal.forget();
  }

  Statements statements() {
    return statements;
  }

  void close() {
    statements.close();
  }

  /**
   * One transaction for the batch. In-memory commands leave their event rows and counters in the
   * journal, written in one go before the commit; any other command first finds them written. With
   * {@code eachFlushing}, every command writes its own inside its savepoint, so a row that cannot be
   * written fails only its command. Null when the batch's rows could not be written together (never
   * with {@code eachFlushing}): the transaction is rolled back, to be run again that way.
   */
  private List<Outcome> transact(List<Call> calls, long now, byte[] seed, Check check, boolean eachFlushing)
    throws Writer.Fenced {
    List<Outcome> outcomes = new ArrayList<>(calls.size());
    Entropy entropy = Entropy.of(seed);
    try {
      statements.of("BEGIN IMMEDIATE").execute();
      try {
        check.run(statements);
      } catch (Writer.Fenced e) {
        rollback();
        throw e;
      }
      for (Call call : calls) {
        boolean inMemory = !eachFlushing && Writer.uses(call.command, Writer.JournalUse.IN_MEMORY);
        if (!inMemory && !flushed()) {
          return null;
        }
        outcomes.add(apply(call, now, entropy, inMemory));
      }
      if (!flushed()) {
        return null;
      }
      statements.of("COMMIT").execute();
      journal.trim();
      return outcomes;
    } catch (SQLException e) {
      LOG.error("Batch of {} commands failed to commit", calls.size(), e);
      rollback();
      outcomes.clear();
      calls.forEach(call -> outcomes.add(Outcome.refused("Write failed, retry")));
      return outcomes;
    }
  }

  /**
   * Runs the command; its savepoint is opened only before its first write, so a command that fails
   * its checks costs no savepoint. A command that is not in memory writes what it appended inside
   * its savepoint; unless it leaves the journal loaded and did not fail unexpectedly, the journal is
   * then emptied, since the command's own SQL may have changed what it holds.
   */
  private Outcome apply(Call call, long now, Entropy entropy, boolean inMemory) throws SQLException {
    boolean[] opened = new boolean[1];
    Tx.Savepoint savepoint = () -> {
      if (!opened[0]) {
        opened[0] = true;
        statements.of("SAVEPOINT command").execute();
      }
    };
    Tx tx = new Tx(statements, journal, savepoint, epoch, term, now, entropy);
    Outcome outcome;
    boolean unexpected = false;
    try {
      JsonObject reply = call.command.apply(tx, call.body);
      if (!inMemory && journal.dirty()) {
        savepoint.open();
        journal.flush();
      }
      if (opened[0]) {
        statements.of("RELEASE command").execute();
      }
      outcome = new Outcome(reply, tx.events, tx.revocations, null);
    } catch (BusFailure failure) {
      undo(tx, opened[0]);
      outcome = new Outcome(null, List.of(), List.of(), failure);
    } catch (SQLException | RuntimeException e) {
      LOG.error("Command failed", e);
      undo(tx, opened[0]);
      unexpected = true;
      outcome = new Outcome(null, List.of(), List.of(), ErrorCode.INTERNAL.failure("The command could not be applied"));
    }
    // An in-memory command keeps the journal even when it failed: other commands' rows in it still wait to be written.
    if (!inMemory && (unexpected || !Writer.uses(call.command, Writer.JournalUse.LEAVES_IT_LOADED))) {
      journal.forget();
    }
    return outcome;
  }

  /** False, the transaction rolled back, when the journal's rows could not be written. */
  private boolean flushed() {
    try {
      journal.flush();
      return true;
    } catch (SQLException e) {
      LOG.warn("Writing the rows of in-memory commands failed; running the batch again with each command writing its own", e);
      rollback();
      return false;
    }
  }

  private void undo(Tx tx, boolean savepointOpened) throws SQLException {
    tx.undo();
    if (savepointOpened) {
      statements.of("ROLLBACK TO command").execute();
      statements.of("RELEASE command").execute();
    }
  }

  /** Also forgets the journal: what it held was never committed. */
  private void rollback() {
    journal.forget();
    try (Statement control = connection.createStatement()) {
      control.execute("ROLLBACK");
    } catch (SQLException e) {
      LOG.warn("Rollback failed", e);
    }
  }
}

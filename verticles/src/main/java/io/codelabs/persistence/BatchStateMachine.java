package io.codelabs.persistence;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A core node's own SQLite file as the state of the replicated log: every committed entry is a
 * {@link ReplicatedBatch}, run with {@link BatchRunner} in one transaction that also records the
 * entry's index, so a node that restarts skips what its file already holds. Ratis applies entries
 * one at a time on its own thread, which is the only one using the connection.
 */
final class BatchStateMachine extends BaseStateMachine {
  private final Path dataDir;
  private final Map<String, Writer.Command> byName;
  private final String epoch;
  private Connection connection;
  private BatchRunner runner;

  BatchStateMachine(Path dataDir, Map<String, Writer.Command> byName, String epoch) {
    this.dataDir = dataDir;
    this.byName = byName;
    this.epoch = epoch;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    try {
      Database.migrate(dataDir);
      // The log, synced on a majority before an entry commits, is what makes a batch durable: the file may lose its
      // last transactions to a power cut, and replaying the log from the index it recorded writes them again.
      connection = Database.writerConfig("NORMAL").createConnection(Database.url(dataDir));
      runner = new BatchRunner(connection, epoch, 0);
      try (Statement statement = connection.createStatement();
           ResultSet row = statement.executeQuery("SELECT term, log_index FROM replication WHERE id = 1")) {
        row.next();
        setLastAppliedTermIndex(TermIndex.valueOf(row.getLong(1), row.getLong(2)));
      }
    } catch (SQLException e) {
      throw new IOException("Opening " + dataDir + " failed", e);
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto entry = transaction.getLogEntry();
    if (entry.getIndex() <= getLastAppliedTermIndex().getIndex()) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    ReplicatedBatch batch = ReplicatedBatch.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    try {
      List<BatchRunner.Outcome> outcomes = runner.run(batch.resolve(byName), batch.now(), batch.seed(),
        statements -> record(statements, entry.getTerm(), entry.getIndex()));
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(ReplicatedBatch.encodeOutcomes(outcomes))));
    } catch (Writer.Fenced e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void record(Statements statements, long term, long index) throws SQLException {
    PreparedStatement update = statements.of("UPDATE replication SET term = ?, log_index = ? WHERE id = 1");
    update.setLong(1, term);
    update.setLong(2, index);
    update.executeUpdate();
  }

  @Override
  public void close() throws IOException {
    super.close();
    if (connection != null) {
      runner.close();
      try {
        connection.close();
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }
}

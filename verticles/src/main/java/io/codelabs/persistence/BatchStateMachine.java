package io.codelabs.persistence;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

/**
 * A core node's own SQLite file as the state of the replicated log: every committed entry is a
 * {@link ReplicatedBatch}, run with {@link BatchRunner} in one transaction that also records the
 * entry's index, so a node that restarts skips what its file already holds. Ratis applies entries
 * one at a time on its own thread; maintenance (a backup) takes the connection between two entries.
 * {@link Checkpoints} copy the WAL into the file beside that thread, as for a single node's writer:
 * SQLite's own checkpoint ran inside an entry and held up the leader's answers.
 * A snapshot is a copy of the file (VACUUM INTO) that lets the log be purged up to it; a node too
 * far behind, or new, receives the leader's and continues from there. The file is never swapped
 * under its readers: a snapshot is restored into it, so a reader's next transaction sees it.
 */
final class BatchStateMachine extends BaseStateMachine {
  /** Told on a Ratis thread when this node may start writing (leader, with its term's first entry committed) or must stop. */
  interface Leadership {
    void changed(boolean leading);
  }

  private static final Logger LOG = LoggerFactory.getLogger(BatchStateMachine.class);

  private final Path dataDir;
  private final Map<String, Writer.Command> byName;
  private final Leadership leadership;
  private final Object connectionLock = new Object();
  private final SimpleStateMachineStorage snapshots = new SimpleStateMachineStorage();
  private Connection connection;
  /** Read from the file whenever it is opened, since a snapshot installed changes its rows. */
  private EventIds eventIds;
  private Checkpoints checkpoints;
  private BatchRunner runner;
  private long runnerTerm = -1;
  /** Counts the times the file took an identity: adopted from the log, or with a snapshot. */
  private final AtomicLong identityChanges = new AtomicLong();

  BatchStateMachine(Path dataDir, Map<String, Writer.Command> byName, Leadership leadership) {
    this.dataDir = dataDir;
    this.byName = byName;
    this.leadership = leadership;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    snapshots.init(storage);
    open();
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Before a snapshot from the leader is installed here; {@link #reinitialize} runs on again. */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  private void open() throws IOException {
    try {
      Database.migrate(dataDir);
      // The log, synced on a majority before an entry commits, is what makes a batch durable: the file may lose its
      // last transactions to a power cut, and replaying the log from the index it recorded writes them again.
      connection = Database.writerConnection(dataDir, "NORMAL");
      checkpoints = Checkpoints.start(connection, dataDir);
      eventIds = EventIds.of(connection);
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
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  /** On the apply thread, between two entries: the file as of the last entry applied. */
  @Override
  public long takeSnapshot() throws IOException {
    synchronized (connectionLock) {
      TermIndex applied = getLastAppliedTermIndex();
      File file = snapshots.getSnapshotFile(applied.getTerm(), applied.getIndex());
      Path partial = file.toPath().resolveSibling("partial-" + file.getName() + ".db");
      forgetRunner();
      try (PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
        Files.deleteIfExists(partial);
        vacuum.setString(1, partial.toString());
        vacuum.execute();
      } catch (SQLException e) {
        throw new IOException("Snapshot at " + applied + " failed", e);
      }
      Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
      MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
      snapshots.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
      return applied.getIndex();
    }
  }

  /** After the leader's snapshot was installed here: it becomes this node's file. */
  @Override
  public void reinitialize() throws IOException {
    synchronized (connectionLock) {
      SingleFileSnapshotInfo installed = snapshots.loadLatestSnapshot();
      if (installed != null) {
        install(installed);
      }
      if (getLifeCycleState() == LifeCycle.State.PAUSED) {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
      }
    }
  }

  /**
   * SQLite's online backup, restored into the file through a connection of its own: the file stays the same file,
   * so a reader holding it open reads the snapshot in its next transaction, never a file that was replaced.
   */
  private void install(SingleFileSnapshotInfo installed) throws IOException {
    closeConnection();
    try (Connection restoring = Database.writerConnection(dataDir, "NORMAL")) {
      int result = restoring.unwrap(SQLiteConnection.class).getDatabase()
        .restore("main", installed.getFile().getPath().toAbsolutePath().toString(), null);
      if (result != SQLiteErrorCode.SQLITE_OK.code) {
        throw new IOException("Installing the snapshot at " + installed.getTermIndex() + " failed: "
          + SQLiteErrorCode.getErrorCode(result));
      }
    } catch (SQLException e) {
      throw new IOException("Installing the snapshot at " + installed.getTermIndex() + " failed", e);
    }
    open();
    setLastAppliedTermIndex(installed.getTermIndex());
    identityChanges.incrementAndGet();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto entry = transaction.getLogEntry();
    if (entry.getIndex() <= getLastAppliedTermIndex().getIndex()) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    ReplicatedBatch batch = ReplicatedBatch.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    synchronized (connectionLock) {
      try {
        BatchRunner current = runner(entry.getTerm());
        List<BatchRunner.Outcome> outcomes = current.run(batch.resolve(byName), batch.now(), batch.seed(),
          statements -> record(statements, entry.getTerm(), entry.getIndex()));
        checkpoints.committed(current.statements());
        if (batch.adoptsIdentity()) {
          forgetRunner();
          identityChanges.incrementAndGet();
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        // Only the leader whose writer sent the batch reads the reply. Every core node keeps replies a while (Ratis' retry
        // cache), so the others keep an empty one.
        return CompletableFuture.completedFuture(transaction.getClientRequest() == null ? Message.EMPTY
          : new ReplicatedBatch.Applied(outcomes));
      } catch (Writer.Fenced | SQLException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  /**
   * A read's barrier: Ratis calls it once this file has applied what the leader had committed when the read came
   * (ReadIndex). The read itself then runs on the node's own readers.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  long identityChanges() {
    return identityChanges.get();
  }

  /** Blocking: runs the work on this file's connection between two entries, outside any transaction. */
  void maintain(Writer.Maintenance work) throws SQLException {
    synchronized (connectionLock) {
      forgetRunner();
      work.run(connection);
    }
  }

  /** Events carry the epoch adopted from the log and the term of the entry that wrote them. */
  private BatchRunner runner(long term) throws SQLException {
    if (runner == null || runnerTerm != term) {
      forgetRunner();
      try (Statement statement = connection.createStatement();
           ResultSet row = statement.executeQuery("SELECT value FROM settings WHERE key = 'epoch'")) {
        row.next();
        runner = new BatchRunner(connection, row.getString(1), term, eventIds);
        runnerTerm = term;
      }
    }
    return runner;
  }

  private void forgetRunner() {
    if (runner != null) {
      runner.close();
      runner = null;
    }
  }

  private static void record(Statements statements, long term, long index) throws SQLException {
    PreparedStatement update = statements.of("UPDATE replication SET term = ?, log_index = ? WHERE id = 1");
    update.setLong(1, term);
    update.setLong(2, index);
    update.executeUpdate();
  }

  /** A restarted node's log replays configuration entries its file is already past. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    if (index > getLastAppliedTermIndex().getIndex()) {
      super.notifyTermIndexUpdated(term, index);
    }
  }

  /**
   * A node the admin removed learns it from the new configuration; it never leads again and no leader sends it
   * entries, so its file stays as it was. The operator stops its process.
   */
  @Override
  public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto conf) {
    RaftPeerId self = getId();
    if (self != null && conf.getPeersList().stream().noneMatch(peer -> peer.getId().equals(self.toByteString()))) {
      LOG.warn("This core node ({}) is no longer one of the core nodes (log index {}): it takes no further part;"
        + " stop it", self, index);
      leadership.changed(false);
    } else {
      LOG.info("The core nodes are now {} (log index {})", conf.getPeersList().stream()
        .map(peer -> peer.getId().toStringUtf8()).toList(), index);
    }
  }

  /**
   * Not when the node stops ({@code allServer}), but when the others told it, as it asked for votes, that it is no
   * longer one of them: its part in the log ended.
   */
  @Override
  public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
    if (!allServer) {
      LOG.warn("This core node ({}) is no longer one of the core nodes: its replicated log closed; stop it", getId());
    }
  }

  @Override
  public void notifyLeaderReady() {
    leadership.changed(true);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    if (!member.getPeerId().equals(newLeader)) {
      leadership.changed(false);
    }
  }

  @Override
  public void close() throws IOException {
    super.close();
    synchronized (connectionLock) {
      closeConnection();
    }
  }

  private void closeConnection() throws IOException {
    forgetRunner();
    try {
      if (checkpoints != null) {
        checkpoints.close();
        checkpoints = null;
      }
      if (connection != null) {
        connection.close();
        connection = null;
      }
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }
}

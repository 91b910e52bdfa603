package io.codelabs.persistence;

import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventHeaders;
import io.codelabs.metrics.WriterMeters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: commands wait in a bounded queue; one thread takes them in batches and runs
 * each batch in ONE transaction, every command inside its own savepoint so one bad command does
 * not undo the others. Events are published and commands answered only once the batch is durable:
 * a second thread syncs what the writer committed while the writer runs the next batch.
 * Where a batch commits is its {@link BatchLog}: the writer's own file behind the writer lease, or
 * the log the core nodes replicate. When this writer lost its seat, the batch is not written,
 * everything waiting is answered busy and the writer stops.
 */
final class Writer {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  @FunctionalInterface
  interface Command {
    JsonObject apply(Tx tx, JsonObject body) throws SQLException;
  }

  /** What a command's own SQL does to the writer's memory ({@link Journal}); see {@link #marked}. */
  enum JournalUse {
    /**
     * A frequent command that reads the attendee and codelab state only through the writer's memory
     * ({@link Tx#attendee}, {@link Tx#codelab}, {@link Tx#seenEvent}) and reads no events, sequence
     * counters or progress columns with SQL of its own: it runs between other such commands without
     * the events they appended being written first. Any other command finds them written.
     */
    IN_MEMORY,
    /**
     * A command that changes no column the writer's memory holds (sequence counters, progress, held
     * step, steps) except through {@link Tx}: the memory stays loaded after it.
     */
    LEAVES_IT_LOADED
  }

  /** A command with its {@link JournalUse}; an unmarked command makes the writer forget its memory after it. */
  record Marked(JournalUse use, Command command) implements Command {
    @Override
    public JsonObject apply(Tx tx, JsonObject body) throws SQLException {
      return command.apply(tx, body);
    }
  }

  static Command marked(JournalUse use, Command command) {
    return new Marked(use, command);
  }

  static boolean uses(Command command, JournalUse use) {
    return command instanceof Marked marked && marked.use == use;
  }

  /** Work on the writer's connection between two batches, outside any transaction (VACUUM INTO needs that). */
  @FunctionalInterface
  interface Maintenance {
    void run(Connection connection) throws SQLException;
  }

  private record PendingMaintenance(Maintenance work, Promise<Void> promise) {
  }

  /**
   * Commands the persistence verticle gives the writer itself; like every command they take all
   * they need from their body, so that a batch is its commands' names and bodies.
   */
  enum Internal {
    LOCKOUTS_AUDIT(AttemptCommands::auditLockouts),
    AUDIT_PRUNE(AuditCommands::pruneBatch),
    BACKUP_AUDIT(Backups::audit),
    CORE_MEMBERS_AUDIT(CoreMembers::audit),
    ADOPT_IDENTITY(Identity::adopt);

    final String key = "internal." + name().toLowerCase(Locale.ROOT);
    final Command command;

    Internal(Command command) {
      this.command = command;
    }
  }

  record Pending(String name, Command command, JsonObject body, Promise<JsonObject> promise) {
    BatchRunner.Call call() {
      return new BatchRunner.Call(command, body);
    }
  }

  /** Where the writer's batches commit, used from the writer thread only. */
  interface BatchLog {
    /** Blocking: one outcome per command, in order, once the batch is committed; durable after the next {@link #sync}. */
    List<BatchRunner.Outcome> commit(List<Pending> batch, long now, byte[] seed) throws Fenced;

    /** Blocking, on the sync thread: every batch committed before the call is durable once it returns. */
    void sync() throws IOException;

    /** Blocking: the work on the file's connection, outside any transaction. */
    void maintain(Maintenance work) throws SQLException, Fenced;

    /** While no command waits, at most every second: a writer that lost its seat finds out soon. */
    void checkIdle() throws SQLException, Fenced;

    void close() throws SQLException;
  }

  /** This writer lost its seat: another writes now, and nothing of the batch was written by this one. */
  static final class Fenced extends Exception {
    Fenced(String message) {
      super(message);
    }
  }

  private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * Batches committed but not yet synced: in the benchmark's runs from 1 to 1,000 producers a sync found one batch
   * waiting 95 % of the time, rarely more. A disk that stops syncing stops the writer at this many, and then its queue
   * fills and answers busy: what waits in memory stays bounded.
   */
  private static final int MAX_UNSYNCED = 8;

  /** A committed batch waiting for the sync that makes it durable before it is published and answered. */
  private record Committed(List<Pending> batch, List<BatchRunner.Outcome> outcomes, long beganNanos) {
  }

  /** Put after the writer's last batch: the sync thread stops once everything before it is answered. */
  private static final Committed WRITER_STOPPED = new Committed(List.of(), List.of(), 0);

  private final BatchLog log;
  /** By name: a bus command's address, or an internal command's key. */
  private final Map<String, Command> byName;
  private final Runnable onFenced;
  private final Context context;
  private final EventBus bus;
  private final WriterMeters meters;
  private final int maxBatch;
  private final ArrayBlockingQueue<Pending> queue;
  private final Promise<Void> stopped = Promise.promise();
  private final Thread thread;
  private final ArrayBlockingQueue<Committed> unsynced = new ArrayBlockingQueue<>(MAX_UNSYNCED);
  private final Thread syncThread;
  /** At most one: a second request while one waits is answered busy. */
  private final AtomicReference<PendingMaintenance> maintenance = new AtomicReference<>();
  private volatile boolean closing;
  private volatile boolean syncFailed;
  private long checkedNanos = System.nanoTime();

  final AtomicLong batches = new AtomicLong();
  final AtomicLong commands = new AtomicLong();

  /** {@code onFenced} runs on the context once this writer found it lost its seat. */
  Writer(BatchLog log, Map<String, Command> commands, Runnable onFenced, Context context, EventBus bus,
         WriterMeters meters, int queueSize, int maxBatch) {
    this.log = log;
    this.byName = withInternal(commands);
    this.onFenced = onFenced;
    this.context = context;
    this.bus = bus;
    this.meters = meters;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    meters.watchQueue(queue::size);
    this.thread = new Thread(this::run, "codelabs-writer");
    this.syncThread = new Thread(this::syncCommitted, "codelabs-writer-sync");
  }

  /** The bus commands and the internal ones, by name: what a batch's names resolve to on every node. */
  static Map<String, Command> withInternal(Map<String, Command> commands) {
    Map<String, Command> byName = new HashMap<>(commands);
    for (Internal internal : Internal.values()) {
      byName.put(internal.key, internal.command);
    }
    return byName;
  }

  void start() {
    thread.start();
    syncThread.start();
  }

  Future<JsonObject> submit(Internal command, JsonObject body) {
    return submit(command.key, body);
  }

  /** Never blocks: a full queue (or a closing writer) answers busy at once. */
  Future<JsonObject> submit(String name, JsonObject body) {
    Command command = byName.get(name);
    if (command == null) {
      throw new IllegalArgumentException("No writer command " + name);
    }
    Promise<JsonObject> promise = Promise.promise();
    if (closing) {
      promise.fail(ErrorCode.BUSY.failure("The writer is stopping, retry"));
    } else if (!queue.offer(new Pending(name, command, body, promise))) {
      promise.fail(ErrorCode.BUSY.failure("The writer queue is full"));
    }
    return promise.future();
  }

  /**
   * Runs the work on the writer thread once the batch in progress has committed; commands keep
   * queueing meanwhile and are taken again as soon as it returns.
   */
  Future<Void> outsideTransaction(Maintenance work) {
    Promise<Void> promise = Promise.promise();
    if (closing) {
      promise.fail(ErrorCode.BUSY.failure("The writer is stopping, retry"));
    } else if (!maintenance.compareAndSet(null, new PendingMaintenance(work, promise))) {
      promise.fail(ErrorCode.BUSY.failure("The writer already has maintenance waiting"));
    }
    return promise.future();
  }

  int queued() {
    return queue.size();
  }

  /** Stops taking commands, finishes every queued one, then closes the connection. */
  Future<Void> close() {
    closing = true;
    return stopped.future();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    try {
      while (!closing || !queue.isEmpty()) {
        if (syncFailed) {
          throw new Fenced("The writer's file could not be synced");
        }
        runMaintenance();
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          checkWhileIdle();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        commit(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Fenced e) {
      closing = true;
      queue.drainTo(batch);
      List<Pending> refused = List.copyOf(batch);
      LOG.error("{}: this node stops writing; {} commands not written here, answered busy",
        e.getMessage(), refused.size());
      context.runOnContext(v -> {
        refused.forEach(pending -> reply(pending.promise, BatchRunner.Outcome.refused("The writer moved to another node, retry")));
        onFenced.run();
      });
    }
    PendingMaintenance left = maintenance.getAndSet(null);
    if (left != null) {
      context.runOnContext(v -> left.promise.fail(ErrorCode.BUSY.failure("The writer stopped, retry")));
    }
    try {
      // What was committed is answered before the connection closes.
      unsynced.put(WRITER_STOPPED);
      syncThread.join();
      log.close();
      stopped.complete();
    } catch (SQLException | InterruptedException e) {
      stopped.fail(e);
    }
  }

  /** A writer that lost its seat leaves the maintenance to the next one: it is failed when this writer stops. */
  private void runMaintenance() throws Fenced {
    PendingMaintenance pending = maintenance.get();
    if (pending == null) {
      return;
    }
    Throwable failure = null;
    try {
      log.maintain(pending.work);
    } catch (SQLException | RuntimeException e) {
      failure = e;
    }
    maintenance.set(null);
    Throwable outcome = failure;
    context.runOnContext(v -> {
      if (outcome == null) {
        pending.promise.complete();
      } else {
        pending.promise.fail(outcome);
      }
    });
  }

  private void checkWhileIdle() throws Fenced {
    if (System.nanoTime() - checkedNanos < IDLE_CHECK_NANOS) {
      return;
    }
    checkedNanos = System.nanoTime();
    try {
      log.checkIdle();
    } catch (SQLException e) {
      LOG.warn("Could not check the writer's seat", e);
    }
  }

  private void commit(List<Pending> batch) throws Fenced, InterruptedException {
    long now = System.currentTimeMillis();
    byte[] seed = Entropy.newSeed();
    long beganNanos = System.nanoTime();
    List<BatchRunner.Outcome> outcomes = log.commit(batch, now, seed);
    checkedNanos = System.nanoTime();
    unsynced.put(new Committed(List.copyOf(batch), outcomes, beganNanos));
  }

  /**
   * The sync thread: one sync for every batch committed since the last, then each is published and answered in commit
   * order. Once a sync failed, what those batches and any later ones wrote may not survive a power cut, and a later
   * sync cannot say otherwise: they are answered so, and the writer stops.
   */
  private void syncCommitted() {
    List<Committed> committed = new ArrayList<>();
    boolean writerStopped = false;
    while (!writerStopped) {
      try {
        committed.add(unsynced.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      unsynced.drainTo(committed);
      writerStopped = committed.remove(WRITER_STOPPED);
      if (!syncFailed) {
        try {
          log.sync();
        } catch (IOException | RuntimeException e) {
          LOG.error("Syncing the writer's file failed: this node stops writing", e);
          syncFailed = true;
          closing = true;
          context.runOnContext(v -> onFenced.run());
        }
      }
      if (syncFailed) {
        committed.forEach(this::unknown);
      } else {
        committed.forEach(this::published);
      }
      committed.clear();
    }
  }

  private void unknown(Committed committed) {
    List<Pending> batch = committed.batch;
    context.runOnContext(v -> batch.forEach(pending -> pending.promise.fail(
      ErrorCode.TIMEOUT.failure("The write may not have reached the disk; retry with the same idempotency key"))));
  }

  private void published(Committed durable) {
    List<Pending> batch = durable.batch;
    List<BatchRunner.Outcome> outcomes = durable.outcomes;
    long commitNanos = System.nanoTime() - durable.beganNanos;
    batches.incrementAndGet();
    commands.addAndGet(batch.size());
    DeliveryOptions committed = new DeliveryOptions()
      .addHeader(EventHeaders.COMMITTED_AT, Long.toString(System.currentTimeMillis()));
    int published = 0;
    // Published from this thread, in commit order, without waiting for an event-loop turn.
    JsonObject appended = new JsonObject();
    for (BatchRunner.Outcome outcome : outcomes) {
      published += outcome.events().size();
      outcome.events().forEach(event -> {
        Events.publish(bus, event, committed);
        appended.put(event.getString("codelabId"), event.getLong("seq"));
      });
      outcome.revocations().forEach(change -> bus.publish(Address.SESSIONS_REVOKED.address, change));
    }
    if (!appended.isEmpty()) {
      bus.publish(Address.EVENTS_APPENDED.address, new JsonObject().put("codelabs", appended));
    }
    meters.committed(batch.size(), published, commitNanos);
    context.runOnContext(v -> {
      for (int i = 0; i < batch.size(); i++) {
        reply(batch.get(i).promise, outcomes.get(i));
      }
    });
  }

  private static void reply(Promise<JsonObject> promise, BatchRunner.Outcome outcome) {
    if (outcome.failure() != null) {
      promise.fail(outcome.failure());
    } else {
      promise.complete(outcome.reply());
    }
  }
}

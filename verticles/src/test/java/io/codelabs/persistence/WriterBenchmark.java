package io.codelabs.persistence;

import io.codelabs.NodeConfig;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.SharedConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged progress writes per second through the bus and the single writer, closed loop (each
 * producer reports its next step, waits for the ack, reports the next), next to the raw limit of
 * the same SQLite file measured in the same run: a plain sqlite-jdbc batch insert of event rows,
 * 1,000 per transaction. A mixed row makes every tenth write a chat message. CPU per write (the writer
 * thread's, the whole process's) and the heap left live after the row are printed too. At FULL, every
 * producer count also runs through three core nodes in this process (each with its own file in its own
 * directory and its own replicated log, Ratis on loopback), right after the one-node row. Prints a
 * Markdown table and writes target/bench/writer.json; asserts none.
 * Run: {@code mvn -B test -Dtest=WriterBenchmark -Dbench.excluded=none}
 */
@Tag("benchmark")
class WriterBenchmark {
  private static final long WARM_UP_MS = 2_000;
  /** Warm-up goes on in slices of this while the compiler still works, up to {@link #WARM_UP_MAX_MS}. */
  private static final long WARM_UP_SLICE_MS = 1_000;
  /** A tenth of a core compiling over the last slice: what is left would blur the row, not decide it. */
  private static final long SETTLED_COMPILING_MS = 100;
  private static final long WARM_UP_MAX_MS = 30_000;
  private static final long MEASURE_MS = 5_000;
  private static final int RAW_ROWS = 200_000;
  private static final int RAW_BATCH = 1_000;
  private static final long STOP_TIMEOUT_S = 60;
  private static final String ONE_NODE = "1 node";
  private static final String CORE_NODES = "3 core nodes";

  /** Every run's files, the three core nodes' included, removed when the benchmark ends. */
  @TempDir
  Path scratch;

  /** Deploys the writer for one run; what it returns stops whatever else the run started. */
  @FunctionalInterface
  private interface Setup {
    Future<Supplier<Future<?>>> deploy(Vertx vertx, Path dir, JsonObject config) throws Exception;
  }

  @Test
  void acknowledgedWrites() throws Exception {
    JsonArray results = new JsonArray();
    // The three core nodes' tail depends on it; a run started otherwise than -Dtest=WriterBenchmark may have another.
    System.out.println("Collector: " + ManagementFactory.getGarbageCollectorMXBeans().stream()
      .map(GarbageCollectorMXBean::getName).toList());
    System.out.println("| writer | synchronous | producers | writes | acked writes/s | ack p50 ms | ack p99 ms | commands/transaction"
      + " | writer thread CPU µs/write | process CPU µs/write | warm-up s | JIT compiling ms | live heap MB"
      + " | raw batch insert rows/s | of raw % |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (String synchronous : List.of("FULL", "NORMAL")) {
      double raw = rawInsertRowsPerSecond(synchronous);
      for (int producers : List.of(1, 50, 200, 1000)) {
        results.add(printed(run(ONE_NODE, synchronous, producers, 0, WriterBenchmark::oneNode), raw));
        if (synchronous.equals("FULL")) {
          results.add(printed(run(CORE_NODES, synchronous, producers, 0, WriterBenchmark::coreNodes), raw));
        }
      }
      // A workshop's writes are not all progress: every tenth is a chat message, which the writer runs outside its memory.
      results.add(printed(run(ONE_NODE, synchronous, 200, 10, WriterBenchmark::oneNode), raw));
    }
    Path out = Path.of("target", "bench");
    Files.createDirectories(out);
    Files.writeString(out.resolve("writer.json"), results.encodePrettily());
  }

  private static JsonObject printed(JsonObject row, double raw) {
    row.put("rawRowsPerSecond", Math.round(raw));
    row.put("ofRawPercent", Math.round(1000 * row.getDouble("writesPerSecond") / raw) / 10.0);
    System.out.printf("| %s | %s | %d | %s | %,.0f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %d | %d | %,.0f | %.1f |%n",
      row.getString("writer"), row.getString("synchronous"), row.getInteger("producers"), row.getString("writes"),
      row.getDouble("writesPerSecond"), row.getDouble("ackP50Ms"), row.getDouble("ackP99Ms"), row.getDouble("commandsPerTransaction"),
      row.getDouble("writerCpuMicrosPerWrite"), row.getDouble("processCpuMicrosPerWrite"),
      row.getLong("warmUpMs") / 1000.0, row.getLong("jitCompilingMs"), row.getLong("liveHeapMb"),
      raw,
      row.getDouble("ofRawPercent"));
    return row;
  }

  private static Future<Supplier<Future<?>>> oneNode(Vertx vertx, Path dir, JsonObject config) {
    return vertx.deployVerticle(new PersistenceVerticle(), new DeploymentOptions().setConfig(config))
      .map(id -> Future::succeededFuture);
  }

  /**
   * Three core nodes, each with its own data directory, on loopback ports that were free a moment ago; the writer
   * runs on the one that leads, as a core node's seat deploys it.
   */
  private static Future<Supplier<Future<?>>> coreNodes(Vertx vertx, Path dir, JsonObject config) throws Exception {
    // All three held open while their ports are read: a port closed at once may be handed out again.
    List<String> peers = new ArrayList<>();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        peers.add("core" + i + "=127.0.0.1:" + sockets.get(i).getLocalPort());
      }
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
    Promise<Integer> led = Promise.promise();
    List<Future<CoreReplica>> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int index = i;
      Path own = Files.createDirectories(dir.resolve("core" + i));
      started.add(CoreReplica.start(vertx, config.copy().put(SharedConfig.DATA_DIR, own.toString())
        .put(CoreReplica.PEERS, String.join(",", peers)).put(CoreReplica.ID, "core" + i), leading -> {
          if (leading) {
            led.tryComplete(index);
          }
        }));
    }
    Supplier<Future<?>> stopAll = () -> Future.join(started.stream()
      .map(replica -> replica.compose(r -> r.stop(vertx))).toList());
    return Future.all(started).compose(all -> led.future()).compose(leader -> {
      CoreReplica replica = started.get(leader).result();
      // The producers' requests reach the leader's router, as those an edge node sends to the leader's node do.
      return vertx.deployVerticle(new PersistenceVerticle(replica), new DeploymentOptions()
          .setConfig(config.copy().put(SharedConfig.DATA_DIR, replica.dataDir().toString())))
        .compose(id -> CoreRouter.start(vertx, config, replica).<Supplier<Future<?>>>map(router -> () -> router.stop()
          .transform(v -> vertx.undeploy(id)).transform(v -> stopAll.get())));
    }).recover(failure -> stopAll.get().transform(v -> Future.failedFuture(failure)));
  }

  /** With {@code chatEvery} above 0, every producer's write of that rank is a chat message instead of progress. */
  private JsonObject run(String writer, String synchronous, int producers, int chatEvery, Setup setup) throws Exception {
    Path dir = Files.createTempDirectory(scratch, "writer");
    Vertx vertx = Vertx.vertx();
    Supplier<Future<?>> stop = Future::succeededFuture;
    try {
      stop = setup.deploy(vertx, dir, NodeConfig.of(new JsonObject()
        .put(SharedConfig.DATA_DIR, dir.toString()).put(PersistenceVerticle.SYNCHRONOUS, synchronous)).json()).await();
      BusClient bus = new BusClient(vertx, 30_000);
      List<Actor> attendees = PersistenceVerticleTest.Workshop.create(bus, producers).attendees();
      long warmedUpMs = warmUp(vertx, bus, attendees, chatEvery);
      JsonObject before = bus.request(Address.WRITER_STATUS, new JsonObject()).await();
      long writerCpuBefore = writerThreadCpuNanos();
      long processCpuBefore = processCpuNanos();
      long compilingBefore = compilingMs();
      Measure measure = loop(vertx, bus, attendees, MEASURE_MS, chatEvery);
      measure.done.future().await();
      long writerCpu = writerThreadCpuNanos() - writerCpuBefore;
      long processCpu = processCpuNanos() - processCpuBefore;
      long compiledMs = compilingMs() - compilingBefore;
      JsonObject after = bus.request(Address.WRITER_STATUS, new JsonObject()).await();
      long liveHeapMb = liveHeapBytes() >> 20;
      long[] latencies = measure.latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      double perTransaction = (double) (after.getLong("commands") - before.getLong("commands"))
        / Math.max(1, after.getLong("batches") - before.getLong("batches"));
      // A core node's file commits without syncing; what each core node syncs before a batch counts is its log.
      return new JsonObject().put("writer", writer)
        .put("synchronous", writer.equals(CORE_NODES) ? "NORMAL, log fsynced" : synchronous).put("producers", producers)
        .put("writes", chatEvery == 0 ? "progress" : "progress, 1 in " + chatEvery + " chat")
        .put("writesPerSecond", latencies.length * 1000.0 / MEASURE_MS)
        .put("ackP50Ms", percentile(latencies, 50)).put("ackP99Ms", percentile(latencies, 99))
        .put("commandsPerTransaction", perTransaction).put("failures", measure.failures.get())
        .put("writerCpuMicrosPerWrite", writerCpu / 1000.0 / Math.max(1, latencies.length))
        .put("processCpuMicrosPerWrite", processCpu / 1000.0 / Math.max(1, latencies.length))
        .put("jitCompilingMs", compiledMs).put("warmUpMs", warmedUpMs).put("liveHeapMb", liveHeapMb);
    } finally {
      // Awaited while this Vert.x instance runs: a future tied to one of its event loops never completes once the
      // instance closed, since its listeners are handed to a loop that has stopped (that stalled the replicated row).
      try {
        stop.get().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
      } finally {
        vertx.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A server runs for hours: a row measures it once the JIT compiler has settled, not while it compiles what the row
   * runs. One node settles within the first 2 s; three core nodes in one JVM take tens of seconds.
   */
  private static long warmUp(Vertx vertx, BusClient bus, List<Actor> attendees, int chatEvery) {
    long began = System.nanoTime();
    loop(vertx, bus, attendees, WARM_UP_MS, chatEvery).done.future().await();
    long compiled;
    do {
      long before = compilingMs();
      loop(vertx, bus, attendees, WARM_UP_SLICE_MS, chatEvery).done.future().await();
      compiled = compilingMs() - before;
    } while (compiled > SETTLED_COMPILING_MS && System.nanoTime() - began < TimeUnit.MILLISECONDS.toNanos(WARM_UP_MAX_MS));
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
  }

  /** What the JIT compiler still did while a row was measured says whether the row measured the compiler. */
  private static long compilingMs() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  /**
   * What the writer, or the three core nodes, still hold once a row's producers stopped: a full collection leaves only
   * what is live. What each young collection copies again is what the nodes keep between them.
   */
  private static long liveHeapBytes() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** CPU time is what a shared machine does not blur: throughput falls when other work runs, CPU per write does not. */
  private static long writerThreadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals("codelabs-writer"))
      .mapToLong(thread -> threads.getThreadCpuTime(thread.getId())).sum();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The most event rows this disk and sqlite-jdbc take per second, 1,000 per transaction, same row shape. */
  private double rawInsertRowsPerSecond(String synchronous) throws Exception {
    Path file = Files.createTempDirectory(scratch, "raw").resolve("raw.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement setup = connection.createStatement()) {
        setup.execute("PRAGMA journal_mode = WAL");
        setup.execute("PRAGMA synchronous = " + synchronous);
        setup.execute("""
          CREATE TABLE events (codelab_id TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT UNIQUE,
            stream TEXT NOT NULL, attendee_id TEXT, stream_seq INTEGER NOT NULL, type TEXT NOT NULL,
            actor_role TEXT NOT NULL, actor_id TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (codelab_id, seq)) WITHOUT ROWID""");
      }
      connection.setAutoCommit(false);
      String codelab = UUID.randomUUID().toString();
      String payload = new JsonObject().put("attendeeId", UUID.randomUUID().toString()).put("nickname", "attendee7")
        .put("step", 2).put("previousStep", 1).encode();
      long start = System.nanoTime();
      try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO events VALUES (?, ?, ?, 'facilitators', NULL, ?, 'attendee.step-changed', 'ATTENDEE', ?, ?, ?)")) {
        for (int seq = 1; seq <= RAW_ROWS; seq++) {
          insert.setString(1, codelab);
          insert.setLong(2, seq);
          insert.setString(3, "p-" + UUID.randomUUID());
          insert.setLong(4, seq);
          insert.setString(5, codelab);
          insert.setString(6, payload);
          insert.setLong(7, System.currentTimeMillis());
          insert.addBatch();
          if (seq % RAW_BATCH == 0) {
            insert.executeBatch();
            connection.commit();
          }
        }
      }
      return RAW_ROWS / ((System.nanoTime() - start) / 1e9);
    }
  }

  static final class Measure {
    final List<Long> latenciesNanos = new ArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final Promise<Void> done = Promise.promise();
  }

  /** Runs on one event loop so the latency list needs no locking. */
  static Measure loop(Vertx vertx, BusClient bus, List<Actor> attendees, long durationMs, int chatEvery) {
    Measure measure = new Measure();
    AtomicInteger running = new AtomicInteger(attendees.size());
    long end = System.nanoTime() + durationMs * 1_000_000;
    vertx.runOnContext(v -> attendees.forEach(attendee -> send(bus, attendee, 1, 1, chatEvery, end, measure, running)));
    return measure;
  }

  private static void send(BusClient bus, Actor attendee, int step, int rank, int chatEvery, long end, Measure measure,
                    AtomicInteger running) {
    if (System.nanoTime() > end) {
      if (running.decrementAndGet() == 0) {
        measure.done.complete();
      }
      return;
    }
    long start = System.nanoTime();
    boolean chat = chatEvery > 0 && rank % chatEvery == 0;
    JsonObject body = new JsonObject().put("codelabId", attendee.codelabId()).put("eventId", "p-" + UUID.randomUUID());
    Future<JsonObject> write = chat
      ? bus.request(Address.CHAT_SEND, attendee, body.put("text", "how is step " + step + " going?"))
      : bus.request(Address.PROGRESS_REPORT, attendee, body.put("step", step).put("completed", true));
    write.onComplete(done -> {
      if (done.failed()) {
        measure.failures.incrementAndGet();
      }
      measure.latenciesNanos.add(System.nanoTime() - start);
      send(bus, attendee, chat ? step : (step + 1) % 3, rank + 1, chatEvery, end, measure, running);
    });
  }

  static double percentile(long[] sorted, int percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1e6;
  }
}

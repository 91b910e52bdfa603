package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged writes per second through the bus and the single writer, closed loop: each
 * producer sends a chat command, waits for its ack, sends the next. Prints figures; asserts none.
 * Run: {@code mvn -B test -Dtest=WriterBenchmark -Dbench.excluded=none}
 */
@Tag("benchmark")
class WriterBenchmark {
  private static final long WARM_UP_MS = 2_000;
  private static final long MEASURE_MS = 5_000;

  @Test
  void acknowledgedWrites() throws Exception {
    System.out.println("| synchronous | producers | acked writes/s | ack p50 ms | ack p99 ms | commands/transaction |");
    System.out.println("|---|---|---|---|---|---|");
    for (String synchronous : List.of("FULL", "NORMAL")) {
      for (int producers : List.of(1, 50, 200)) {
        run(synchronous, producers);
      }
    }
  }

  private void run(String synchronous, int producers) throws Exception {
    Path dir = Files.createTempDirectory("writer-bench");
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new PersistenceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put(PersistenceVerticle.DATA_DIR, dir.toString()).put(PersistenceVerticle.SYNCHRONOUS, synchronous))).await();
      BusClient bus = new BusClient(vertx, 30_000);
      List<Actor> attendees = PersistenceVerticleTest.Workshop.create(bus, Math.min(producers, 100)).attendees();
      Measure warmUp = loop(vertx, bus, attendees, producers, WARM_UP_MS);
      warmUp.done.future().await();
      JsonObject before = bus.request(Address.WRITER_STATUS, new JsonObject()).await();
      Measure measure = loop(vertx, bus, attendees, producers, MEASURE_MS);
      measure.done.future().await();
      JsonObject after = bus.request(Address.WRITER_STATUS, new JsonObject()).await();
      long[] latencies = measure.latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      double perTransaction = (double) (after.getLong("commands") - before.getLong("commands"))
        / Math.max(1, after.getLong("batches") - before.getLong("batches"));
      System.out.printf("| %s | %d | %,.0f | %.2f | %.2f | %.1f |%n", synchronous, producers,
        latencies.length * 1000.0 / MEASURE_MS, percentile(latencies, 50), percentile(latencies, 99), perTransaction);
    } finally {
      vertx.close().await();
    }
  }

  private static final class Measure {
    final List<Long> latenciesNanos = new ArrayList<>();
    final Promise<Void> done = Promise.promise();
  }

  /** Runs on one event loop so the latency list needs no locking. */
  private Measure loop(Vertx vertx, BusClient bus, List<Actor> attendees, int producers, long durationMs) {
    Measure measure = new Measure();
    AtomicInteger running = new AtomicInteger(producers);
    long end = System.nanoTime() + durationMs * 1_000_000;
    vertx.runOnContext(v -> {
      for (int p = 0; p < producers; p++) {
        Actor attendee = attendees.get(p % attendees.size());
        send(bus, attendee, end, measure, running);
      }
    });
    return measure;
  }

  private void send(BusClient bus, Actor attendee, long end, Measure measure, AtomicInteger running) {
    if (System.nanoTime() > end) {
      if (running.decrementAndGet() == 0) {
        measure.done.complete();
      }
      return;
    }
    long start = System.nanoTime();
    bus.request(Address.CHAT_SEND, attendee, new JsonObject().put("codelabId", attendee.codelabId()).put("text", "x"))
      .onComplete(done -> {
        measure.latenciesNanos.add(System.nanoTime() - start);
        send(bus, attendee, end, measure, running);
      });
  }

  private static double percentile(long[] sorted, int percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1e6;
  }

}

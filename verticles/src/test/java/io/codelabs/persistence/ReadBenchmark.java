package io.codelabs.persistence;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a codelab (what every attendee's page loads) on three core nodes in this process, closed loop, sent to the
 * leader's node, which reads its file at once, and to a follower's, which first waits for the log's read barrier (one
 * round trip to the leader), first with nothing else running, then while 50 attendees report progress on the leader,
 * closed loop, so that a follower's read also waits for its file to apply the latest batches. Rounds alternate leader
 * and follower; each row is the median of the rounds with their min-max. Prints a Markdown table and writes target/bench/reads.json; asserts none.
 * Run: {@code mvn -B test -Dtest=ReadBenchmark -Dbench.excluded=none}
 */
@Tag("benchmark")
class ReadBenchmark {
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);
  private static final long WARM_UP_MS = 2_000;
  private static final long MEASURE_MS = 4_000;
  private static final int ROUNDS = 3;
  /** Attendees who report progress on the leader, closed loop, while the rows marked so read. */
  private static final int WRITERS = 50;

  @TempDir
  Path dir;
  @RegisterExtension
  final CoreTrio.Fixture trios = new CoreTrio.Fixture();

  private record Row(String node, int readers, boolean writing, double readsPerSecond, double p50Ms, double p99Ms,
                     int failures) {
  }

  @Test
  void followerAndLeaderReads() throws Exception {
    CoreTrio trio = trios.start(dir).await(60, TimeUnit.SECONDS);
    Vertx leader = trio.leaderNode();
    Vertx follower = trio.nodes.get(trio.followers().get(0));
    BusClient bus = new BusClient(leader, 10_000);
    PersistenceVerticleTest.Workshop workshop = PersistenceVerticleTest.Workshop.create(bus, WRITERS);
    JsonObject read = new JsonObject().put("actor", workshop.owner().toJson()).put("codelabId", workshop.codelabId());

    List<Row> rows = new ArrayList<>();
    for (boolean writing : List.of(false, true)) {
      for (int readers : List.of(1, 50)) {
        for (int round = 0; round < ROUNDS; round++) {
          for (String node : List.of("leader", "follower")) {
            Vertx target = node.equals("leader") ? leader : follower;
            WriterBenchmark.Measure writes = writing
              ? WriterBenchmark.loop(leader, bus, workshop.attendees(), WARM_UP_MS + MEASURE_MS, 0) : null;
            loop(target, read, readers, WARM_UP_MS);
            rows.add(loop(target, read, readers, MEASURE_MS).toRow(node, readers, writing));
            if (writes != null) {
              writes.done.future().await();
            }
          }
        }
      }
    }
    JsonArray results = new JsonArray();
    System.out.println("| core node read | meanwhile | readers | reads/s | p50 ms | p99 ms | failed |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (boolean writing : List.of(false, true)) {
      for (int readers : List.of(1, 50)) {
        for (String node : List.of("leader", "follower")) {
          List<Row> runs = rows.stream()
            .filter(row -> row.node.equals(node) && row.readers == readers && row.writing == writing).toList();
          JsonObject summary = new JsonObject().put("node", node).put("readers", readers).put("rounds", runs.size())
            .put("meanwhile", writing ? WRITERS + " attendees report progress" : "nothing")
            .put("readsPerSecond", spread(runs.stream().mapToDouble(Row::readsPerSecond).toArray()))
            .put("p50Ms", spread(runs.stream().mapToDouble(Row::p50Ms).toArray()))
            .put("p99Ms", spread(runs.stream().mapToDouble(Row::p99Ms).toArray()))
            .put("failures", runs.stream().mapToInt(Row::failures).sum());
          results.add(summary);
          System.out.printf("| %s | %s | %d | %s | %s | %s | %d |%n", node, summary.getString("meanwhile"), readers,
            cell(summary, "readsPerSecond", "%,.0f"), cell(summary, "p50Ms", "%.2f"), cell(summary, "p99Ms", "%.2f"),
            summary.getInteger("failures"));
        }
      }
    }
    Path out = Path.of("target", "bench");
    Files.createDirectories(out);
    Files.writeString(out.resolve("reads.json"), results.encodePrettily());
  }

  private static final class Measure {
    final List<Long> latenciesNanos = new ArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final Promise<Void> done = Promise.promise();
    long durationMs;

    Row toRow(String node, int readers, boolean writing) {
      long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Row(node, readers, writing, sorted.length * 1000.0 / durationMs, WriterBenchmark.percentile(sorted, 50),
        WriterBenchmark.percentile(sorted, 99),
        failures.get());
    }
  }

  /** Blocking; the readers run on one event loop of the target node, so the latency list needs no locking. */
  private static Measure loop(Vertx node, JsonObject read, int readers, long durationMs) {
    Measure measure = new Measure();
    measure.durationMs = durationMs;
    AtomicInteger running = new AtomicInteger(readers);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
    node.runOnContext(v -> {
      for (int i = 0; i < readers; i++) {
        send(node, read, end, measure, running);
      }
    });
    measure.done.future().await();
    return measure;
  }

  private static void send(Vertx node, JsonObject read, long end, Measure measure, AtomicInteger running) {
    if (System.nanoTime() > end) {
      if (running.decrementAndGet() == 0) {
        measure.done.complete();
      }
      return;
    }
    long start = System.nanoTime();
    node.eventBus().request(Address.CODELAB_GET.address, read, TIMEOUT).onComplete(answer -> {
      if (answer.failed()) {
        measure.failures.incrementAndGet();
      } else {
        measure.latenciesNanos.add(System.nanoTime() - start);
      }
      send(node, read, end, measure, running);
    });
  }

  private static JsonObject spread(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new JsonObject().put("median", sorted[sorted.length / 2]).put("min", sorted[0]).put("max", sorted[sorted.length - 1]);
  }

  private static String cell(JsonObject summary, String figure, String format) {
    JsonObject spread = summary.getJsonObject(figure);
    return String.format(format + " (" + format + "-" + format + ")", spread.getDouble("median"), spread.getDouble("min"),
      spread.getDouble("max"));
  }
}

package io.codelabs.webhooks;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit-to-receipt latency of webhook deliveries: announcements appended through the bus at a
 * steady rate into one codelab with one endpoint on this machine; latency is the receipt time
 * minus the event's commit time ({@code at}). Prints the figures; asserts none.
 * Run: {@code mvn -B test -Dtest=WebhookLatencyBenchmark -Dbench.excluded=none}
 * (add {@code -Dwebhooks.bench.rate=200} for another offered load).
 */
@Tag("benchmark")
class WebhookLatencyBenchmark {
  /** Offered load; {@code -Dwebhooks.bench.rate=200} measures below saturation on a busy machine. */
  private static final int EVENTS_PER_SECOND = Integer.getInteger("webhooks.bench.rate", 1_000);
  private static final long TICK_MS = 10;
  private static final long WARM_UP_MS = 3_000;
  private static final long MEASURE_MS = 20_000;

  @TempDir
  Path dataDir;

  @Test
  void commitToReceipt() throws Exception {
    Node node = TestNode.start(dataDir, WebhookDeliveryTest.shortRetries());
    Http http = new Http(node.vertx, node.httpPort);
    String admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Bench").put("steps", new JsonArray()));
    Receiver receiver = Receiver.start(node.vertx);
    WebhookDeliveryTest.register(http, admin, codelabId, receiver.url(), "announcement.posted");
    BusClient bus = new BusClient(node.vertx, 5_000);
    String adminId = bus.request(Address.FACILITATOR_FIND, new JsonObject().put("username", Node.FIRST_FACILITATOR))
      .await().getString("id");
    Actor actor = Actor.facilitator(adminId, "Admin");
    AtomicLong sent = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicReference<String> firstRefusal = new AtomicReference<>();
    int perTick = (int) (EVENTS_PER_SECOND * TICK_MS / 1000);
    long started = System.currentTimeMillis();
    long producer = node.vertx.setPeriodic(TICK_MS, id -> {
      for (int i = 0; i < perTick; i++) {
        bus.request(Address.ANNOUNCEMENT_POST, actor, new JsonObject().put("codelabId", codelabId)
          .put("text", "Load " + sent.incrementAndGet())).onFailure(failure -> {
            if (refused.getAndIncrement() == 0) {
              firstRefusal.set(failure.getMessage());
            }
          });
      }
    });
    Thread.sleep(WARM_UP_MS + MEASURE_MS);
    node.vertx.cancelTimer(producer);
    long produced = sent.get() - refused.get();
    List<Receiver.Request> all = receiver.until(seen -> seen.size() >= produced, 120);
    long measureFrom = started + WARM_UP_MS;
    long[] latencies = all.stream().map(request -> new long[] {
        request.json().getJsonObject("data").getLong("at"), request.receivedAtMillis()})
      .filter(times -> times[0] >= measureFrom && times[0] < measureFrom + MEASURE_MS)
      .mapToLong(times -> times[1] - times[0]).sorted().toArray();
    JsonObject writer = bus.request(Address.WRITER_STATUS, new JsonObject()).await();
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf("WEBHOOK-BENCH | offered events/s | %d%n", EVENTS_PER_SECOND);
    System.out.printf("WEBHOOK-BENCH | events appended, refused | %d, %d (first: %s)%n", produced, refused.get(),
      firstRefusal.get());
    System.out.printf("WEBHOOK-BENCH | deliveries measured | %d over %d s%n", latencies.length, MEASURE_MS / 1000);
    System.out.printf("WEBHOOK-BENCH | commit to receipt p50 / p99 / max ms | %d / %d / %d%n",
      latencies[latencies.length / 2], latencies[(int) (latencies.length * 0.99)], latencies[latencies.length - 1]);
    System.out.printf("WEBHOOK-BENCH | writer commands / batches | %d / %d%n", writer.getLong("commands"),
      writer.getLong("batches"));
    System.out.printf("WEBHOOK-BENCH | /proc/loadavg at the end | %s (%d cores)%n", load,
      Runtime.getRuntime().availableProcessors());
    receiver.close();
    http.close();
    node.stop().await();
  }
}

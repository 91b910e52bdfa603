package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Transport;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * From the after-commit publish to receipt at about 1,000 events/s for 20 s: one SockJS subscriber and one TCP
 * subscriber on the same stream of the same node, so the difference is what the TCP bridge adds. The events are
 * published on the bus as the writer publishes them after commit, so the writer's own speed on a shared machine does
 * not swamp the bridges' figures (its commit latency is measured by the writer benchmark). Prints the figures.
 */
@Tag("benchmark")
@DisplayName("TCP bridge latency next to SockJS")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpBridgeBenchmark extends NodeTestBase {
  /** -Dbench.eventsPerSecond=200 measures below the point where a shared machine saturates. */
  private static final int EVENTS_PER_TICK = Integer.getInteger("bench.eventsPerSecond", 1_000) / 100;
  private static final long TICK_MS = 10;
  private static final long WARM_UP_MS = 2_000;
  private static final long MEASURED_MS = 20_000;

  @Test
  @DisplayName("p50/p99 from the after-commit publish to receipt, TCP and SockJS")
  void latency(Vertx vertx) {
    String codelabId = codelab(admin);
    String address = Address.PUBLIC_EVENTS.of(codelabId);
    BridgeClient.Clients clients = BridgeClient.Clients.of(vertx);
    Map<Transport, ConcurrentLinkedQueue<Long>> latencies = new EnumMap<>(Transport.class);
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WARM_UP_MS);
    for (Transport transport : Transport.values()) {
      ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();
      latencies.put(transport, samples);
      BridgeClient subscriber = clients.listening(transport, node, admin, codelabId, address);
      subscriber.take(frame -> {
        JsonObject body = frame.getJsonObject("body");
        if (body != null && body.getValue("publishedNanos") instanceof Number published
          && published.longValue() >= measureFrom) {
          samples.add((System.nanoTime() - published.longValue()) / 1_000);
        }
        return true;
      });
    }
    AtomicLong sent = new AtomicLong();
    long timer = node.vertx.setPeriodic(TICK_MS, tick -> {
      for (int i = 0; i < EVENTS_PER_TICK; i++) {
        long seq = sent.incrementAndGet();
        node.vertx.eventBus().publish(address, new JsonObject().put("type", "chat.posted").put("seq", seq)
          .put("codelabId", codelabId).put("publishedNanos", System.nanoTime())
          .put("data", new JsonObject().put("message", new JsonObject().put("text", "message " + seq))));
      }
    });
    Promise<Void> measured = Promise.promise();
    node.vertx.setTimer(WARM_UP_MS + MEASURED_MS, end -> {
      node.vertx.cancelTimer(timer);
      measured.complete();
    });
    measured.future().await();
    long elapsedSeconds = (WARM_UP_MS + MEASURED_MS) / 1000;
    System.out.printf("TCP bridge benchmark: %d events published in %d s, %d cores, load average %.1f%n",
      sent.get(), elapsedSeconds, Runtime.getRuntime().availableProcessors(),
      ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (Transport transport : Transport.values()) {
      long[] sorted = latencies.get(transport).stream().mapToLong(Long::longValue).sorted().toArray();
      assertThat(sorted).as("%s received events", transport).isNotEmpty();
      System.out.printf("  %-6s received %6d, publish to receipt p50 %6d us, p99 %6d us, max %6d us%n", transport,
        sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }
  }

  private static long percentile(long[] sorted, int percent) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
  }
}

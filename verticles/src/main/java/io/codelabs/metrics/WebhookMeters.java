package io.codelabs.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Webhook requests sent by this node, when it is the one delivering. */
public final class WebhookMeters {
  private final Counter delivered;
  private final Counter failed;
  private final Counter disabled;
  private final Timer latency;

  WebhookMeters(MeterRegistry registry) {
    delivered = deliveries(registry, "delivered");
    failed = deliveries(registry, "failed");
    disabled = Counter.builder("codelabs.webhook.endpoints.disabled")
      .description("Webhook endpoints disabled after failing for the whole retry window").register(registry);
    latency = Timer.builder("codelabs.webhook.request")
      .description("Time from sending a webhook request to its answer, or to giving up on it")
      .serviceLevelObjectives(Meters.millis(10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)).register(registry);
  }

  private static Counter deliveries(MeterRegistry registry, String outcome) {
    return Counter.builder("codelabs.webhook.deliveries").tag("outcome", outcome)
      .description("Webhook requests by outcome (failed: refused target, timeout, error or a non-2xx answer)")
      .register(registry);
  }

  public void attempted(boolean succeeded, long latencyMs) {
    (succeeded ? delivered : failed).increment();
    latency.record(latencyMs, TimeUnit.MILLISECONDS);
  }

  public void endpointDisabled() {
    disabled.increment();
  }
}

package io.codelabs.metrics;

import io.codelabs.bus.RequestTimer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.Arrays;

/**
 * This node's own meters ({@code codelabs_*}), registered once and found by every verticle of the node through its
 * local map. Labels come from small fixed sets (transport, outcome, catalogue address), never from ids or paths.
 * A node without metrics gets meters of an empty registry, which record nothing.
 */
public final class Meters implements Shareable {
  private static final String MAP = "codelabs.metrics";
  private static final String KEY = "meters";

  public final WriterMeters writer;
  public final BridgeMeters bridge;
  public final UploadMeters uploads;
  public final WebhookMeters webhooks;
  public final Counter replayRequests;
  public final Counter replayResets;
  public final Counter httpRateLimited;

  private Meters(MeterRegistry registry) {
    writer = new WriterMeters(registry);
    bridge = new BridgeMeters(registry);
    uploads = new UploadMeters(registry);
    webhooks = new WebhookMeters(registry);
    replayRequests = Counter.builder("codelabs.replay.requests")
      .description("Replay requests of reconnecting clients").register(registry);
    replayResets = Counter.builder("codelabs.replay.resets")
      .description("Replay requests answered with reset (gap past the replay window, or a new epoch)")
      .register(registry);
    httpRateLimited = rateLimited(registry, "http");
  }

  /** Registers the node's meters and the bus request timer in {@code registry} and makes them the node's. */
  public static Meters install(Vertx vertx, MeterRegistry registry) {
    Meters meters = new Meters(registry);
    vertx.sharedData().getLocalMap(MAP).put(KEY, meters);
    vertx.sharedData().<String, RequestTimer>getLocalMap(RequestTimer.MAP)
      .put(RequestTimer.KEY, new BusTimings(registry));
    return meters;
  }

  /** The node's meters, or meters that record nothing when the node runs without metrics. */
  public static Meters of(Vertx vertx) {
    LocalMap<String, Meters> map = vertx.sharedData().getLocalMap(MAP);
    Meters meters = map.get(KEY);
    if (meters == null) {
      Meters none = new Meters(new CompositeMeterRegistry());
      meters = map.putIfAbsent(KEY, none);
      return meters == null ? none : meters;
    }
    return meters;
  }

  static Counter rateLimited(MeterRegistry registry, String server) {
    return Counter.builder("codelabs.rate.limit.rejections").tag("server", server)
      .description("Requests (http) and bridge frames (bridge) refused for exceeding a rate limit").register(registry);
  }

  /** Histogram bucket bounds, in milliseconds: fixed, so a histogram's series count never grows. */
  static Duration[] millis(long... bounds) {
    return Arrays.stream(bounds).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
  }
}

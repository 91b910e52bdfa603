package io.codelabs.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The bridges of this node: open sockets, the attendees behind them, and the events written to them. */
public final class BridgeMeters {
  public enum Transport {
    SOCKJS, TCP;

    final String tag = name().toLowerCase(Locale.ROOT);
  }

  private final Map<Transport, AtomicInteger> sockets = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> delivered = new EnumMap<>(Transport.class);
  /** Open sockets per attendee: an attendee with two tabs counts once. Bounded by the bridges' connection limits. */
  private final Map<String, Integer> attendeeSockets = new ConcurrentHashMap<>();
  private final Timer fanOut;
  private final Counter rateLimited;

  BridgeMeters(MeterRegistry registry) {
    for (Transport transport : Transport.values()) {
      AtomicInteger open = new AtomicInteger();
      sockets.put(transport, open);
      Gauge.builder("codelabs.sockets.online", open, AtomicInteger::get).tag("transport", transport.tag)
        .description("Open authenticated bridge sockets on this node").register(registry);
      delivered.put(transport, Counter.builder("codelabs.events.delivered").tag("transport", transport.tag)
        .description("Event frames written to sockets of this node").register(registry));
    }
    Gauge.builder("codelabs.attendees.online", attendeeSockets, Map::size)
      .description("Attendees with at least one open socket on this node").register(registry);
    fanOut = Timer.builder("codelabs.fanout").description("Time from an event's commit to its frame written to "
        + "every receiving socket of this node")
      .serviceLevelObjectives(Meters.millis(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)).register(registry);
    rateLimited = Meters.rateLimited(registry, "bridge");
  }

  /** {@code attendeeId} is null for a facilitator or an integration. */
  public void opened(Transport transport, String attendeeId) {
    sockets.get(transport).incrementAndGet();
    if (attendeeId != null) {
      attendeeSockets.merge(attendeeId, 1, Integer::sum);
    }
  }

  public void closed(Transport transport, String attendeeId) {
    sockets.get(transport).decrementAndGet();
    if (attendeeId != null) {
      attendeeSockets.computeIfPresent(attendeeId, (id, open) -> open > 1 ? open - 1 : null);
    }
  }

  /** Frames of one event written to {@code receivers} sockets of this node over the transport. */
  public void delivered(Transport transport, int receivers) {
    delivered.get(transport).increment(receivers);
  }

  /** Once per event and node, after its frame went to every receiving socket. */
  public void fannedOut(long committedAtMillis) {
    fanOut.record(Math.max(0, System.currentTimeMillis() - committedAtMillis), TimeUnit.MILLISECONDS);
  }

  public void rateLimited() {
    rateLimited.increment();
  }
}

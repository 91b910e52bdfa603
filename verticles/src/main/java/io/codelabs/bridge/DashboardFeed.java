package io.codelabs.bridge;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dashboards are snapshots the writer computes on request, not events: each one someone on this node watches is
 * asked for at an interval and fanned out to its watchers, until nobody here watches it any more.
 */
final class DashboardFeed {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

  private final BusClient bus;
  private final Topics topics;
  /** Codelabs whose dashboard someone on this node watches, with one of the watchers to ask as. */
  private final Map<String, Actor> watched = new HashMap<>();

  DashboardFeed(BusClient bus, Topics topics) {
    this.bus = bus;
    this.topics = topics;
  }

  void start(Vertx vertx, long intervalMs) {
    vertx.setPeriodic(intervalMs, id -> refresh());
  }

  void watch(String codelabId, Actor viewer) {
    watched.putIfAbsent(codelabId, viewer);
  }

  Future<JsonObject> snapshot(String codelabId, Actor viewer) {
    return bus.request(Address.DASHBOARD_GET, viewer, new JsonObject().put("codelabId", codelabId))
      .onFailure(failure -> LOG.debug("Dashboard of {} not computed: {}", codelabId, failure.getMessage()));
  }

  private void refresh() {
    watched.entrySet().removeIf(entry -> !topics.has(Address.DASHBOARD_EVENTS.of(entry.getKey())));
    watched.forEach((codelabId, viewer) -> snapshot(codelabId, viewer)
      .onSuccess(snapshot -> topics.fanOut(Address.DASHBOARD_EVENTS.of(codelabId), snapshot)));
  }
}

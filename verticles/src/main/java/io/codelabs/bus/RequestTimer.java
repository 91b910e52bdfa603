package io.codelabs.bus;

import io.vertx.core.shareddata.Shareable;

/**
 * Told how long each bus request took. A node with metrics keeps one in its local map under {@link #MAP}/{@link #KEY};
 * every {@link BusClient} created on that node reports to it, and without one requests go untimed.
 */
public interface RequestTimer extends Shareable {
  String MAP = "codelabs.bus";
  String KEY = "request-timer";

  void answered(Address address, long nanos, boolean succeeded);
}

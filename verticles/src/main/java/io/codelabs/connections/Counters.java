package io.codelabs.connections;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One server's connection counts, shared by all its verticle instances in one Vert.x (they share
 * one listening port), and by nothing else: several nodes may run in one JVM.
 */
final class Counters implements Shareable {
  private static final String MAP = "codelabs.connections";

  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger pending = new AtomicInteger();
  final Map<String, Integer> pendingByAddress = new ConcurrentHashMap<>();
  final ConcurrentSkipListMap<Long, Guarded> pendingOldestFirst = new ConcurrentSkipListMap<>();
  final AtomicLong arrivals = new AtomicLong();

  static Counters of(Vertx vertx, String server) {
    LocalMap<String, Counters> counters = vertx.sharedData().getLocalMap(MAP);
    Counters fresh = new Counters();
    Counters existing = counters.putIfAbsent(server, fresh);
    return existing != null ? existing : fresh;
  }

  boolean admitOpen(int max) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return false;
    }
    return true;
  }

  boolean admitPendingFrom(String address, int max) {
    boolean[] admitted = {false};
    pendingByAddress.compute(address, (key, count) -> {
      int current = count == null ? 0 : count;
      admitted[0] = current < max;
      return admitted[0] ? current + 1 : count;
    });
    return admitted[0];
  }

  /** Adds a pending connection and answers the oldest one to evict when there are too many, or null. */
  Guarded addPending(Guarded connection, int max) {
    pendingOldestFirst.put(connection.arrival, connection);
    if (pending.incrementAndGet() <= max) {
      return null;
    }
    for (Map.Entry<Long, Guarded> oldest = pendingOldestFirst.pollFirstEntry(); oldest != null;
         oldest = pendingOldestFirst.pollFirstEntry()) {
      if (leavePending(oldest.getValue())) {
        return oldest.getValue();
      }
    }
    return null;
  }

  /** True for the one caller that takes the connection out of the pending ones. */
  boolean leavePending(Guarded connection) {
    if (!connection.pending.compareAndSet(true, false)) {
      return false;
    }
    pending.decrementAndGet();
    pendingOldestFirst.remove(connection.arrival);
    pendingByAddress.computeIfPresent(connection.address, (key, count) -> count <= 1 ? null : count - 1);
    return true;
  }
}

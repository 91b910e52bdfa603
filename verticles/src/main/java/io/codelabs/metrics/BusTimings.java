package io.codelabs.metrics;

import io.codelabs.bus.Address;
import io.codelabs.bus.RequestTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Bus request latency per catalogue address (never a concrete address with ids) and outcome. A timer is registered
 * the first time its address is asked, so only addresses in use show, and never more than the catalogue holds.
 */
final class BusTimings implements RequestTimer {
  private final MeterRegistry registry;
  private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(Address.values().length * 2);

  BusTimings(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void answered(Address address, long nanos, boolean succeeded) {
    int slot = address.ordinal() * 2 + (succeeded ? 0 : 1);
    Timer timer = timers.get(slot);
    if (timer == null) {
      timer = Timer.builder("codelabs.bus.request").tag("address", address.address)
        .tag("outcome", succeeded ? "ok" : "failed").description("Bus requests from this node until their answer")
        .serviceLevelObjectives(Meters.millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)).register(registry);
      timers.set(slot, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}

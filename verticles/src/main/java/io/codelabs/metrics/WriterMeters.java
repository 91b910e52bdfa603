package io.codelabs.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The single writer: its queue, its batches, their commits and the events they publish. */
public final class WriterMeters {
  private final Counter commands;
  private final Counter published;
  private final DistributionSummary batchSize;
  private final Timer commit;
  private volatile IntSupplier queueDepth = () -> 0;

  WriterMeters(MeterRegistry registry) {
    commands = Counter.builder("codelabs.writer.commands").description("Commands the writer ran").register(registry);
    published = Counter.builder("codelabs.events.published").description("Events the writer published after commit")
      .register(registry);
    batchSize = DistributionSummary.builder("codelabs.writer.batch.size").description("Commands per transaction")
      .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000).register(registry);
    commit = Timer.builder("codelabs.writer.commit").description("Time from a batch's BEGIN to its COMMIT")
      .serviceLevelObjectives(Meters.millis(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)).register(registry);
    Gauge.builder("codelabs.writer.queue.depth", this, meters -> meters.queueDepth.getAsInt())
      .description("Commands waiting for the writer").register(registry);
  }

  /** The writer of this node, once it runs; a standby shows 0. */
  public void watchQueue(IntSupplier depth) {
    queueDepth = depth;
  }

  /** Once per batch, on the writer thread. */
  public void committed(int batchCommands, int events, long commitNanos) {
    commands.increment(batchCommands);
    published.increment(events);
    batchSize.record(batchCommands);
    commit.record(commitNanos, TimeUnit.NANOSECONDS);
  }
}

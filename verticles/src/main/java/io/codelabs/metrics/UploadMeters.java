package io.codelabs.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Virus scans of uploads on this node. */
public final class UploadMeters {
  public enum ScanOutcome {
    CLEAN, INFECTED, FAILED, UNSCANNED;

    final String tag = name().toLowerCase(Locale.ROOT);
  }

  private final Map<ScanOutcome, Counter> scans = new EnumMap<>(ScanOutcome.class);

  UploadMeters(MeterRegistry registry) {
    for (ScanOutcome outcome : ScanOutcome.values()) {
      scans.put(outcome, Counter.builder("codelabs.upload.scans").tag("outcome", outcome.tag)
        .description("Uploads by virus-scan outcome (unscanned: no scanner configured)").register(registry));
    }
  }

  public void scanned(ScanOutcome outcome) {
    scans.get(outcome).increment();
  }
}

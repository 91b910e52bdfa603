package io.codelabs.rehearsal;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Latencies in microseconds, kept whole so percentiles are exact; one instance per thread, merged at the end. */
final class Samples {
  private long[] values = new long[256];
  private int size;

  void add(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  /** count, p50, p95, p99 and max in milliseconds. */
  JsonObject summary() {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return new JsonObject().put("count", size)
      .put("p50Ms", percentile(sorted, 0.50))
      .put("p95Ms", percentile(sorted, 0.95))
      .put("p99Ms", percentile(sorted, 0.99))
      .put("maxMs", size == 0 ? 0.0 : sorted[size - 1] / 1000.0);
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0.0;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1000.0;
  }
}

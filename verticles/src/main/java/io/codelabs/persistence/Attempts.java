package io.codelabs.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed sign-in and rejoin attempts per key, in memory on the writer node so every API node
 * counts against the same numbers. An attempt counts as a failure from the moment it is checked
 * (so parallel guesses are counted before any of them is verified) until it is reported a success.
 * Each key forgets one failure every {@code window / limit} (not while locked out); reaching the
 * limit locks the key out, for a lockout that doubles with every further lockout up to a cap. Least recently used keys are
 * dropped past {@code maxKeys}.
 */
final class Attempts {
  record Limit(int failures, long forgetEveryMs) {
    static Limit of(int failures, long windowMs) {
      return new Limit(failures, Math.max(1, windowMs / failures));
    }
  }

  /** A key that has just been locked out, for the audit log. */
  record Lockout(String scope, String key, int lockouts, long lockedMs) {
  }

  record Verdict(boolean allowed, long retryAfterMs, List<Lockout> lockouts) {
  }

  private static final class Counter {
    int failures;
    long forgottenUntil;
    int lockouts;
    long lockedUntil;

    Counter(long now) {
      forgottenUntil = now;
    }

    /** Whole failures only, and none while locked out: the clock starts again when a lockout ends. */
    void forget(long now, Limit limit) {
      long from = Math.max(forgottenUntil, lockedUntil);
      long periods = now > from ? (now - from) / limit.forgetEveryMs : 0;
      if (periods == 0) {
        return;
      }
      failures = (int) Math.max(0, failures - periods);
      forgottenUntil = from + periods * limit.forgetEveryMs;
      if (failures == 0) {
        lockouts = 0;
      }
    }
  }

  private final long lockoutMs;
  private final long maxLockoutMs;
  private final Map<String, Counter> counters;

  Attempts(long lockoutMs, long maxLockoutMs, int maxKeys) {
    this.lockoutMs = lockoutMs;
    this.maxLockoutMs = maxLockoutMs;
    this.counters = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** Refuses when any key is locked out; otherwise counts the attempt against every key. */
  Verdict check(Map<String, Limit> keys, long now) {
    long retryAfter = 0;
    for (String key : keys.keySet()) {
      Counter counter = counters.get(key);
      if (counter != null && counter.lockedUntil > now) {
        retryAfter = Math.max(retryAfter, counter.lockedUntil - now);
      }
    }
    if (retryAfter > 0) {
      return new Verdict(false, retryAfter, List.of());
    }
    List<Lockout> lockouts = new ArrayList<>();
    keys.forEach((key, limit) -> {
      Counter counter = counters.computeIfAbsent(key, k -> new Counter(now));
      counter.forget(now, limit);
      counter.failures++;
      if (counter.failures >= limit.failures) {
        long locked = Math.min(maxLockoutMs, lockoutMs << Math.min(counter.lockouts, 30));
        counter.lockouts++;
        counter.lockedUntil = now + locked;
        lockouts.add(new Lockout(key.substring(0, key.indexOf(' ')), key.substring(key.indexOf(' ') + 1),
          counter.lockouts, locked));
      }
    });
    return new Verdict(true, 0, lockouts);
  }

  /**
   * A checked attempt succeeded: keys that belong to one person are forgotten (lockout included);
   * shared keys, such as a source address, only take the attempt back.
   */
  void succeeded(Map<String, Limit> forget, Map<String, Limit> takeBack, long now) {
    forget.keySet().forEach(counters::remove);
    takeBack.forEach((key, limit) -> {
      Counter counter = counters.get(key);
      if (counter != null) {
        counter.forget(now, limit);
        counter.failures = Math.max(0, counter.failures - 1);
      }
    });
  }

  int size() {
    return counters.size();
  }
}

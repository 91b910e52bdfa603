package io.codelabs.persistence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The facilitator dashboard, computed once on the server for every watching browser: per attendee
 * the step, time on it and a stuck flag; per step how many are on it, have done it, and the median
 * time those who did it took.
 */
final class Dashboard {
  /** Nobody is stuck after less than this, however fast the others were. */
  static final long MIN_STUCK_MS = 2 * 60_000;
  /** Below this many finishers the step's estimated duration stands in for their median. */
  static final int MIN_FINISHERS = 3;

  private Dashboard() {
  }

  /**
   * Stuck: far longer on the step than the median of those who finished it (twice as long), or,
   * before enough have finished it, twice the step's estimated duration.
   */
  static boolean stuck(long timeOnStepMs, Long medianMs, int finishers, int estimateMinutes) {
    long expected = finishers >= MIN_FINISHERS && medianMs != null ? medianMs : estimateMinutes * 60_000L;
    return timeOnStepMs > Math.max(2 * expected, MIN_STUCK_MS);
  }

  static Long median(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return null;
    }
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /**
   * @param steps rows of position, title, durationMinutes, current, completed
   * @param durations rows of step and ms, ordered by step then ms
   * @param attendees rows of id, nickname, currentStep, stepStartedAt, completedCount, online, currentDone, help
   */
  static JsonObject compute(String codelabId, long now, List<JsonObject> steps, List<JsonObject> durations,
                            List<JsonObject> attendees) {
    Map<Integer, List<Long>> byStep = new HashMap<>();
    durations.forEach(row -> byStep.computeIfAbsent(row.getInteger("step"), k -> new ArrayList<>()).add(row.getLong("ms")));
    Map<Integer, JsonObject> stepInfo = new HashMap<>();
    JsonArray stepsOut = new JsonArray();
    for (JsonObject step : steps) {
      List<Long> finished = byStep.getOrDefault(step.getInteger("position"), List.of());
      JsonObject out = step.copy().put("medianMs", median(finished)).put("finishers", finished.size());
      stepInfo.put(step.getInteger("position"), out);
      stepsOut.add(out);
    }
    JsonArray attendeesOut = new JsonArray();
    for (JsonObject attendee : attendees) {
      long onStep = Math.max(0, now - attendee.getLong("stepStartedAt"));
      JsonObject step = stepInfo.get(attendee.getInteger("currentStep"));
      boolean stuck = step != null && attendee.getInteger("currentDone") == 0 && stuck(onStep,
        step.getLong("medianMs"), step.getInteger("finishers"), step.getInteger("durationMinutes"));
      attendeesOut.add(new JsonObject()
        .put("id", attendee.getString("id"))
        .put("nickname", attendee.getString("nickname"))
        .put("currentStep", attendee.getInteger("currentStep"))
        .put("timeOnStepMs", onStep)
        .put("completedCount", attendee.getInteger("completedCount"))
        .put("online", attendee.getInteger("online") == 1)
        .put("help", attendee.getString("help"))
        .put("stuck", stuck));
    }
    return new JsonObject().put("codelabId", codelabId).put("at", now).put("steps", stepsOut)
      .put("attendees", attendeesOut);
  }
}

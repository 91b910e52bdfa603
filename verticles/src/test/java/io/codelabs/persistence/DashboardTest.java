package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Dashboard figures")
class DashboardTest {
  private static final long MINUTE = 60_000;

  @Test
  @DisplayName("stuck means twice the finishers' median, never under two minutes")
  void stuckAgainstMedian() {
    assertThat(Dashboard.stuck(9 * MINUTE, 4 * MINUTE, 3, 5)).isTrue();
    assertThat(Dashboard.stuck(7 * MINUTE, 4 * MINUTE, 3, 5)).isFalse();
    assertThat(Dashboard.stuck(90_000, 10_000L, 10, 1)).as("under the two-minute floor").isFalse();
  }

  @Test
  @DisplayName("before three finishers, the step's estimate stands in for the median")
  void stuckAgainstEstimate() {
    assertThat(Dashboard.stuck(9 * MINUTE, 1 * MINUTE, 2, 5)).isFalse();
    assertThat(Dashboard.stuck(11 * MINUTE, 1 * MINUTE, 2, 5)).isTrue();
  }

  @Test
  @DisplayName("medians of odd and even counts")
  void median() {
    assertThat(Dashboard.median(List.of())).isNull();
    assertThat(Dashboard.median(List.of(1L, 5L, 9L))).isEqualTo(5L);
    assertThat(Dashboard.median(List.of(1L, 3L, 5L, 9L))).isEqualTo(4L);
  }

  @Test
  @DisplayName("an attendee far over the median is flagged; one who finished the step is not")
  void compute() {
    long now = 100 * MINUTE;
    List<JsonObject> steps = List.of(new JsonObject().put("position", 0).put("title", "A").put("durationMinutes", 5)
      .put("current", 2).put("completed", 3));
    List<JsonObject> durations = List.of(MINUTE, 2 * MINUTE, 3 * MINUTE).stream()
      .map(ms -> new JsonObject().put("step", 0).put("ms", ms)).toList();
    List<JsonObject> attendees = List.of(
      attendee("slow", now - 30 * MINUTE, 0),
      attendee("done", now - 30 * MINUTE, 1));
    JsonObject dashboard = Dashboard.compute("c1", now, steps, durations, attendees);
    assertThat(dashboard.getJsonArray("steps").getJsonObject(0).getLong("medianMs")).isEqualTo(2 * MINUTE);
    assertThat(dashboard.getJsonArray("attendees").getJsonObject(0).getBoolean("stuck")).isTrue();
    assertThat(dashboard.getJsonArray("attendees").getJsonObject(0).getLong("timeOnStepMs")).isEqualTo(30 * MINUTE);
    assertThat(dashboard.getJsonArray("attendees").getJsonObject(1).getBoolean("stuck")).isFalse();
  }

  private static JsonObject attendee(String nickname, long startedAt, int currentDone) {
    return new JsonObject().put("id", nickname).put("nickname", nickname).put("currentStep", 0)
      .put("stepStartedAt", startedAt).put("completedCount", currentDone).put("online", 1)
      .put("currentDone", currentDone).put("help", null);
  }
}

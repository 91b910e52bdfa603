package io.codelabs.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The results export: a header, then one row per attendee, in the order the results list them. */
final class ResultsTable {
  private ResultsTable() {
  }

  static List<List<Object>> rows(JsonObject results) {
    JsonArray steps = results.getJsonArray("steps");
    JsonArray quizzes = results.getJsonArray("quizzes");
    List<List<Object>> rows = new ArrayList<>();
    List<Object> header = new ArrayList<>(List.of("nickname", "steps done"));
    steps.forEach(step -> header.add("seconds on step " + (((JsonObject) step).getInteger("position") + 1) + ": "
      + ((JsonObject) step).getString("title")));
    quizzes.forEach(quiz -> header.add("quiz percent: " + ((JsonObject) quiz).getString("title")));
    header.addAll(List.of("difficulty", "satisfaction", "comment", "complete", "completed at", "certificate id"));
    rows.add(header);
    for (Object value : results.getJsonArray("attendees")) {
      JsonObject attendee = (JsonObject) value;
      List<Object> row = new ArrayList<>(List.of(attendee.getString("nickname"), attendee.getInteger("stepsDone")));
      attendee.getJsonArray("stepSeconds").forEach(row::add);
      quizzes.forEach(quiz -> row.add(attendee.getJsonObject("quizPercents").getValue(((JsonObject) quiz).getString("quizId"))));
      Long completedAt = attendee.getLong("completedAt");
      row.add(attendee.getValue("difficulty"));
      row.add(attendee.getValue("satisfaction"));
      row.add(attendee.getValue("comment"));
      row.add(attendee.getBoolean("complete") ? "yes" : "no");
      row.add(completedAt == null ? null : Instant.ofEpochMilli(completedAt).toString());
      row.add(attendee.getValue("certificateId"));
      rows.add(row);
    }
    return rows;
  }
}

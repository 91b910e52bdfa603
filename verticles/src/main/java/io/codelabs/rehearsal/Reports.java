package io.codelabs.rehearsal;

import io.vertx.core.json.JsonObject;

/** The rehearsal report as people read it; the same figures as the JSON one. */
final class Reports {
  private Reports() {
  }

  static String text(JsonObject report) {
    StringBuilder text = new StringBuilder("\nLoad rehearsal report\n");
    JsonObject connections = report.getJsonObject("connections");
    JsonObject events = report.getJsonObject("events");
    text.append(String.format("  attendees %d, joined %d, sockets held %d (peak %d), %.1f s%n",
      report.getInteger("attendees"), connections.getInteger("joined"), connections.getInteger("held"),
      connections.getInteger("peak"), report.getDouble("seconds")));
    text.append(String.format("  events received %,d (%,d/s)%n", events.getLong("received"), events.getLong("perSecond")));
    text.append("  latency (ms)            count      p50      p95      p99      max\n");
    JsonObject latency = report.getJsonObject("latency");
    latencyRow(text, "chat to attendees", latency.getJsonObject("attendees"));
    latencyRow(text, "progress to dashboard", latency.getJsonObject("dashboard"));
    latencyRow(text, "command acknowledged", latency.getJsonObject("commandAck"));
    text.append("  delivery                expected      live  replayed        %\n");
    JsonObject delivery = report.getJsonObject("delivery");
    deliveryRow(text, "attendees (public)", delivery.getJsonObject("attendees"));
    deliveryRow(text, "dashboard (all)", delivery.getJsonObject("dashboard"));
    JsonObject writer = report.getJsonObject("writer");
    text.append(String.format("  writer: %,d commands in %,d batches (mean %.1f per batch), queue depth max %d%n",
      writer.getLong("commands"), writer.getLong("batches"), writer.getDouble("meanBatch"),
      writer.getLong("maxQueueDepth")));
    JsonObject errors = report.getJsonObject("errors");
    text.append(errors.isEmpty() ? "  errors: none\n" : "  errors:\n");
    errors.forEach(entry -> text.append(String.format("    %,8d  %s%n", (Long) entry.getValue(), entry.getKey())));
    report.getJsonObject("counts").forEach(entry ->
      text.append(String.format("  %s: %,d%n", entry.getKey(), (Long) entry.getValue())));
    return text.toString();
  }

  private static void latencyRow(StringBuilder text, String name, JsonObject row) {
    text.append(String.format("  %-22s %7d %8.1f %8.1f %8.1f %8.1f%n", name, row.getInteger("count"),
      row.getDouble("p50Ms"), row.getDouble("p95Ms"), row.getDouble("p99Ms"), row.getDouble("maxMs")));
  }

  private static void deliveryRow(StringBuilder text, String name, JsonObject row) {
    text.append(String.format("  %-22s %9d %9d %9d %8.2f%n", name, row.getLong("expected"), row.getLong("live"),
      row.getLong("replayed"), row.getDouble("percent")));
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * Checks on command bodies. The REST contract validates HTTP input already; these guard the bus,
 * where commands also arrive from the realtime bridge and from integrators.
 */
final class Input {
  private Input() {
  }

  static String text(JsonObject body, String field, int min, int max) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || text.strip().length() < min || text.length() > max) {
      throw ErrorCode.INVALID.failure(field + " must be text of " + min + " to " + max + " characters");
    }
    return text.strip();
  }

  static String optionalText(JsonObject body, String field, int max, String fallback) {
    return body.getValue(field) == null ? fallback : text(body, field, 0, max);
  }

  static int integer(JsonObject body, String field, int min, int max) {
    return (int) whole(body, field, min, max);
  }

  static long whole(JsonObject body, String field, long min, long max) {
    Object value = body.getValue(field);
    if (!(value instanceof Number number) || number.doubleValue() != number.longValue()
      || number.longValue() < min || number.longValue() > max) {
      throw ErrorCode.INVALID.failure(field + " must be a whole number from " + min + " to " + max);
    }
    return number.longValue();
  }

  static boolean flag(JsonObject body, String field, boolean fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean flag)) {
      throw ErrorCode.INVALID.failure(field + " must be true or false");
    }
    return flag;
  }

  /** Idempotency keys are optional; when given they must look like one. */
  static String eventId(JsonObject body) {
    String eventId = optionalText(body, "eventId", 64, null);
    if (eventId != null && !looksLikeEventId(eventId)) {
      throw ErrorCode.INVALID.failure("eventId must be 8 to 64 letters, digits, '-' or '_'");
    }
    return eventId;
  }

  /** [A-Za-z0-9_-]{8,64}, checked without a regular expression: the writer checks one per command. */
  private static boolean looksLikeEventId(String eventId) {
    if (eventId.length() < 8 || eventId.length() > 64) {
      return false;
    }
    for (int i = 0; i < eventId.length(); i++) {
      char c = eventId.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  static Actor actor(JsonObject body) {
    Actor actor = Actor.of(body);
    if (actor == null) {
      throw ErrorCode.UNAUTHORISED.failure("Sign in first");
    }
    return actor;
  }

  static Actor facilitator(JsonObject body) {
    Actor actor = actor(body);
    if (!actor.isFacilitator()) {
      throw ErrorCode.FORBIDDEN.failure("Only facilitators may do that");
    }
    return actor;
  }
}

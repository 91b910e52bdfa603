package io.codelabs.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * Failure codes carried by every failed bus reply. The number is the HTTP status the API answers
 * with, so the browser, the bridge and REST clients all see the same code for the same failure.
 */
public enum ErrorCode {
  INVALID(400, "Invalid request"),
  UNAUTHORISED(401, "Authentication required"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  REQUEST_TIMEOUT(408, "Request timeout"),
  CONFLICT(409, "Conflict"),
  TOO_LARGE(413, "Payload too large"),
  URI_TOO_LONG(414, "URI too long"),
  UNSUPPORTED_TYPE(415, "Unsupported media type"),
  UNPROCESSABLE(422, "Unprocessable content"),
  /** Progress past the step a facilitator holds the room at; 423 Locked, so clients tell it from other refusals. */
  STEP_HELD(423, "Step held"),
  RATE_LIMITED(429, "Too many requests"),
  HEADERS_TOO_LARGE(431, "Request header fields too large"),
  INTERNAL(500, "Internal error"),
  BUSY(503, "Busy, retry shortly"),
  TIMEOUT(504, "Timed out");

  public final int code;
  public final String title;

  ErrorCode(int code, String title) {
    this.code = code;
    this.title = title;
  }

  public static ErrorCode of(int code) {
    return Arrays.stream(values()).filter(e -> e.code == code).findFirst().orElse(INTERNAL);
  }

  /** The code of any failed bus request: carried codes as they are, no handler 503, timeout 504. */
  public static ErrorCode of(Throwable failure) {
    if (failure instanceof BusFailure busFailure) {
      return busFailure.code;
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> BUSY;
        case TIMEOUT -> TIMEOUT;
        default -> of(reply.failureCode());
      };
    }
    return INTERNAL;
  }

  /** The RFC 7807 problem document every HTTP answer of this failure carries. */
  public JsonObject problem(String detail, String instance) {
    return new JsonObject()
      .put("type", "urn:codelabs:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-'))
      .put("title", title)
      .put("status", code)
      .put("detail", detail)
      .put("instance", instance);
  }

  public BusFailure failure(String detail) {
    return new BusFailure(this, detail);
  }
}

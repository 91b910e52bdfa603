package io.codelabs.content;

import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

/**
 * A step file: a front matter of {@code title} (a JSON-quoted string, which YAML reads the same) and
 * {@code duration} in minutes between {@code ---} lines, then the step's Markdown exactly as written.
 */
final class FrontMatter {
  private static final String FENCE = "---\n";

  private FrontMatter() {
  }

  static String write(Draft.Step step) {
    return FENCE + "title: " + Json.encode(step.title()) + "\nduration: " + step.durationMinutes() + "\n" + FENCE
      + step.markdown();
  }

  static Draft.Step read(String path, String text) {
    if (!text.startsWith(FENCE)) {
      throw malformed(path);
    }
    int end = text.indexOf("\n" + FENCE, FENCE.length() - 1);
    if (end < 0) {
      throw malformed(path);
    }
    String title = null;
    int duration = 5;
    for (String line : text.substring(FENCE.length(), end + 1).split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (key.equals("title")) {
        title = value.startsWith("\"") ? decode(path, value) : value;
      } else if (key.equals("duration")) {
        duration = minutes(path, value);
      }
    }
    if (title == null || title.isBlank()) {
      throw ErrorCode.INVALID.failure(path + " has no title in its front matter");
    }
    return new Draft.Step(title, duration, text.substring(end + 1 + FENCE.length()));
  }

  private static String decode(String path, String quoted) {
    try {
      return Json.decodeValue(quoted, String.class);
    } catch (DecodeException e) {
      throw ErrorCode.INVALID.failure(path + ": the title is not a valid quoted string");
    }
  }

  private static int minutes(String path, String value) {
    if (!value.matches("\\d{1,4}")) {
      throw ErrorCode.INVALID.failure(path + ": duration must be whole minutes, not " + value);
    }
    return Integer.parseInt(value);
  }

  private static RuntimeException malformed(String path) {
    return ErrorCode.INVALID.failure(path + " must start with a front matter (--- title, duration ---)");
  }
}

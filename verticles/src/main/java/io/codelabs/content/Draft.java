package io.codelabs.content;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A codelab as a file describes it, before it is stored: settings, steps whose Markdown refers to the files by their
 * archive path ({@code images/...}, {@code materials/...}), the files' bytes, links, quizzes with their answer keys
 * (checked by the writer when stored), and what could not be kept.
 */
public record Draft(Settings settings, List<Step> steps, List<File> files, List<Link> links, List<JsonObject> quizzes,
                    List<String> warnings) {

  /** {@code completion} holds the completion rules the file sets; a rule it leaves out keeps its default. */
  public record Settings(String title, String summary, String author, List<String> categories, String visibility,
                         String joinCode, JsonObject completion) {
  }

  public record Step(String title, int durationMinutes, String markdown) {
  }

  /** {@code kind} is {@code image} (shown inline) or {@code file} (a material to download). */
  public record File(String path, String kind, String title, String fileName, byte[] bytes) {
  }

  public record Link(String title, String url) {
  }
}

package io.codelabs.content;

import io.codelabs.bus.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recognises what was uploaded and reads it: a ZIP of this platform's export, an Open Codelabs export or a claat
 * codelab folder, or a lone claat Markdown file. The result fits what a codelab may hold, or the import fails.
 */
public final class Imports {
  public static final int MAX_STEPS = 200;
  public static final int MAX_MARKDOWN = 200_000;
  private static final int MAX_TITLE = 200;
  private static final int MAX_SUMMARY = 2000;
  private static final int MAX_CATEGORIES = 20;
  private static final int MAX_CATEGORY = 40;

  private Imports() {
  }

  public static Draft read(Path upload, String fileName, ImportLimits limits) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(upload)) {
      head = in.readNBytes(4);
    }
    boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5);
    if (zip) {
      return fitted(fromZip(ZipEntries.read(upload, limits)));
    }
    String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".zip")) {
      throw ErrorCode.INVALID.failure("The file is named .zip but is not a ZIP archive");
    }
    if (Files.size(upload) > MAX_MARKDOWN * 4L) {
      throw ErrorCode.TOO_LARGE.failure("A Markdown file may be at most " + MAX_MARKDOWN * 4 + " bytes");
    }
    String text = utf8(Files.readAllBytes(upload));
    if (text == null) {
      throw ErrorCode.UNSUPPORTED_TYPE.failure("Import a ZIP (an export of this server, an Open Codelabs export, or "
        + "a claat codelab with its img/ folder) or a claat Markdown file (.md)");
    }
    return fitted(ClaatMarkdown.parse(text, "", Map.of()));
  }

  private static Draft fromZip(Map<String, byte[]> entries) {
    if (CodelabArchive.isOurs(entries)) {
      return CodelabArchive.read(entries);
    }
    if (OpenCodelabsZip.isOpenCodelabs(entries)) {
      return OpenCodelabsZip.read(entries);
    }
    List<String> markdown = entries.keySet().stream()
      .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".md")).toList();
    if (markdown.size() == 1) {
      String path = markdown.get(0);
      String text = utf8(entries.get(path));
      if (text == null) {
        throw ErrorCode.INVALID.failure(path + " is not UTF-8 text");
      }
      int slash = path.lastIndexOf('/');
      Draft draft = ClaatMarkdown.parse(text, slash < 0 ? "" : path.substring(0, slash), entries);
      return withUnusedWarnings(draft, entries);
    }
    throw ErrorCode.INVALID.failure(markdown.isEmpty()
      ? "Unknown format: the ZIP holds no manifest.json, no Open Codelabs codelab.json with step files, and no "
        + "claat Markdown file"
      : "Unknown format: the ZIP holds " + markdown.size() + " Markdown files and no manifest; a claat codelab ZIP "
        + "holds one .md file and its images");
  }

  private static Draft withUnusedWarnings(Draft draft, Map<String, byte[]> entries) {
    List<String> warnings = new ArrayList<>(draft.warnings());
    long unused = entries.size() - 1 - draft.files().size();
    if (unused > 0) {
      warnings.add(unused + " file(s) in the ZIP are not images of the codelab's steps and were left out");
    }
    return new Draft(draft.settings(), draft.steps(), draft.files(), draft.links(), draft.quizzes(), warnings);
  }

  /** Cuts what is too long for a codelab, saying so; refuses what cannot be cut. */
  static Draft fitted(Draft draft) {
    List<String> warnings = new ArrayList<>(draft.warnings());
    if (draft.steps().isEmpty()) {
      throw ErrorCode.INVALID.failure("The codelab has no steps");
    }
    if (draft.steps().size() > MAX_STEPS) {
      throw ErrorCode.INVALID.failure("The codelab has " + draft.steps().size() + " steps; a codelab has at most "
        + MAX_STEPS);
    }
    List<Draft.Step> steps = new ArrayList<>();
    for (Draft.Step step : draft.steps()) {
      if (step.markdown().length() > MAX_MARKDOWN) {
        throw ErrorCode.TOO_LARGE.failure("The step \"" + cut(step.title(), MAX_TITLE) + "\" has more than "
          + MAX_MARKDOWN + " characters of Markdown");
      }
      steps.add(new Draft.Step(cut(step.title(), MAX_TITLE, "A step title", warnings),
        Math.max(0, Math.min(step.durationMinutes(), 24 * 60)), step.markdown()));
    }
    Draft.Settings settings = draft.settings();
    List<String> categories = settings.categories().stream().filter(category -> !category.isBlank())
      .map(category -> cut(category.strip(), MAX_CATEGORY, "A category", warnings)).distinct().toList();
    if (categories.size() > MAX_CATEGORIES) {
      warnings.add("Only the first " + MAX_CATEGORIES + " of " + categories.size() + " categories were kept");
      categories = categories.subList(0, MAX_CATEGORIES);
    }
    String visibility = "private".equals(settings.visibility()) && settings.joinCode() != null
      && !settings.joinCode().isBlank() ? "private" : "public";
    String title = settings.title().isBlank() ? "Imported codelab" : settings.title().strip();
    Draft.Settings fittedSettings = new Draft.Settings(cut(title, MAX_TITLE, "The title", warnings),
      cut(settings.summary(), MAX_SUMMARY, "The summary", warnings), cut(settings.author(), MAX_TITLE, "The author",
      warnings), categories, visibility, visibility.equals("private") ? cut(settings.joinCode(), 40) : null,
      settings.completion());
    return new Draft(fittedSettings, steps, draft.files(), draft.links(), draft.quizzes(), warnings);
  }

  private static String cut(String text, int max, String what, List<String> warnings) {
    if (text.length() <= max) {
      return text;
    }
    warnings.add(what + " was longer than " + max + " characters and was cut: \"" + cut(text, 60) + "...\"");
    return cut(text, max);
  }

  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
  }

  private static String utf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}

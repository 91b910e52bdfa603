package io.codelabs.content;

import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The export of the Open Codelabs reference system: {@code codelab.json} (its codelab row), one
 * {@code step_NN_<Title>.md} per step (the title is in the name, underscores for spaces) and an optional
 * {@code preparation_guide.md}, which becomes a first step here. Its feedback and submission requirements become
 * completion rules; it exports no quizzes, so its quiz settings are only reported.
 */
public final class OpenCodelabsZip {
  static final String SETTINGS = "codelab.json";
  static final String GUIDE = "preparation_guide.md";
  static final String GUIDE_TITLE = "Preparation guide";
  private static final Pattern STEP = Pattern.compile("^step_(\\d{1,4})_(.*)\\.md$");
  private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)|<img\\s[^>]*?src=[\"']([^\"']+)",
    Pattern.CASE_INSENSITIVE);
  private static final int DEFAULT_MINUTES = 5;
  private static final String JOIN_CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private OpenCodelabsZip() {
  }

  static boolean isOpenCodelabs(Map<String, byte[]> entries) {
    return entries.containsKey(SETTINGS) && entries.keySet().stream().anyMatch(name -> STEP.matcher(name).matches());
  }

  static Draft read(Map<String, byte[]> entries) {
    JsonObject codelab;
    try {
      codelab = new JsonObject(CodelabArchive.text(entries, SETTINGS));
    } catch (DecodeException e) {
      throw ErrorCode.INVALID.failure(SETTINGS + " is not valid JSON: " + e.getMessage());
    }
    List<String> warnings = new ArrayList<>();
    TreeMap<Integer, Draft.Step> numbered = new TreeMap<>();
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      Matcher step = STEP.matcher(entry.getKey());
      if (step.matches()) {
        String title = step.group(2).replace('_', ' ').strip();
        numbered.put(Integer.parseInt(step.group(1)), new Draft.Step(title.isEmpty() ? "Step " + step.group(1) : title,
          DEFAULT_MINUTES, CodelabArchive.text(entries, entry.getKey())));
      } else if (!entry.getKey().equals(SETTINGS) && !entry.getKey().equals(GUIDE)) {
        warnings.add("\"" + ZipEntries.printable(entry.getKey()) + "\" is not part of an Open Codelabs export and was "
          + "left out");
      }
    }
    List<Draft.Step> steps = new ArrayList<>();
    String guide = entries.containsKey(GUIDE) ? CodelabArchive.text(entries, GUIDE)
      : codelab.getValue("guide_markdown") instanceof String text ? text : "";
    if (!guide.isBlank()) {
      steps.add(new Draft.Step(GUIDE_TITLE, DEFAULT_MINUTES, guide.strip() + "\n"));
      warnings.add("The preparation guide became the first step, \"" + GUIDE_TITLE + "\"");
    }
    steps.addAll(numbered.values());
    for (Draft.Step step : steps) {
      Matcher image = IMAGE.matcher(step.markdown());
      while (image.find()) {
        String source = image.group(1) != null ? image.group(1) : image.group(2);
        if (!source.startsWith("data:")) {
          warnings.add("Step \"" + step.title() + "\": the image " + ClaatMarkdown.shorten(source) + " is not part of an "
            + "Open Codelabs export; upload it as an image of the codelab and point the step at it");
        }
      }
    }
    for (String flag : List.of("quiz_enabled", "require_quiz")) {
      if (truthy(codelab.getValue(flag))) {
        warnings.add("The setting " + flag + " was not kept: an Open Codelabs export carries no quizzes; write the "
          + "quiz here and turn on its completion rule");
      }
    }
    JsonObject completion = new JsonObject();
    if (truthy(codelab.getValue("require_feedback"))) {
      completion.put("feedback", true);
    }
    if (truthy(codelab.getValue("require_submission"))) {
      completion.put("submission", true);
    }
    boolean isPublic = !codelab.containsKey("is_public") || truthy(codelab.getValue("is_public"));
    String joinCode = null;
    if (!isPublic) {
      joinCode = joinCode();
      warnings.add("The codelab was private; it is private here too, with the join code " + joinCode);
    }
    String title = codelab.getValue("title") instanceof String text && !text.isBlank() ? text : "Imported codelab";
    return new Draft(new Draft.Settings(title, text(codelab, "description"), text(codelab, "author"), List.of(),
      isPublic ? "public" : "private", joinCode, completion), steps, List.of(), List.of(), List.of(), warnings);
  }

  private static String text(JsonObject json, String field) {
    return json.getValue(field) instanceof String text ? text : "";
  }

  private static boolean truthy(Object value) {
    return value instanceof Boolean flag ? flag : value instanceof Number number && number.intValue() != 0;
  }

  private static String joinCode() {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      code.append(JOIN_CODE_LETTERS.charAt(RANDOM.nextInt(JOIN_CODE_LETTERS.length())));
    }
    return code.toString();
  }
}

package io.codelabs.content;

import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's claat Markdown: a metadata header, a {@code # } title, {@code ## } steps (never inside code fences), a
 * {@code Duration:} (and {@code Environment:}) line at the top of a step ({@code hh:mm:ss}, {@code mm:ss} or whole
 * minutes), info boxes as {@code <aside>},
 * {@code > aside positive} or {@code Positive / : text} (turned into {@code > [!TIP]} / {@code > [!WARNING]}
 * callouts), download buttons (kept as links) and relative images (stored as the codelab's images). Whatever has
 * no counterpart here is named in the warnings.
 */
public final class ClaatMarkdown {
  /** claat's documented duration of a step that states none. */
  static final int DEFAULT_MINUTES = 1;

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern STEP = Pattern.compile("^##\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern TITLE = Pattern.compile("^#\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern META = Pattern.compile("^([A-Za-z][A-Za-z0-9 _-]{0,40}):\\s*(.*)$");
  private static final Pattern STEP_META = Pattern.compile("^(?i)(duration|environments?)\\s*:\\s*(.*)$");
  private static final Pattern DURATION = Pattern.compile("^\\d{1,3}(:\\d{1,2}){0,2}$");
  private static final Pattern ASIDE_OPEN = Pattern.compile("^\\s*<aside\\s+class=[\"']?(positive|negative)[\"']?\\s*>(.*)$",
    Pattern.CASE_INSENSITIVE);
  private static final Pattern QUOTED_ASIDE = Pattern.compile("^\\s*>\\s*aside\\s+(positive|negative)\\b\\s*(.*)$",
    Pattern.CASE_INSENSITIVE);
  private static final Pattern INFOBOX = Pattern.compile("^\\s*(positive|negative)\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern DEFINITION = Pattern.compile("^\\s*:\\s?(.*)$");
  private static final Pattern BUTTON_OPEN = Pattern.compile("^\\s*<button>(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)\\s]+)\\)");
  private static final Pattern HTML_LINK = Pattern.compile("<a\\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
    Pattern.CASE_INSENSITIVE);
  private static final Pattern VIDEO = Pattern.compile("<video\\s+id=[\"']([A-Za-z0-9_-]{6,20})[\"']\\s*>\\s*</video>",
    Pattern.CASE_INSENSITIVE);
  private static final Pattern FRAGMENT_IMPORT = Pattern.compile("^\\s*<<([^<>()]+\\.md)>>\\s*$");
  private static final Pattern IMAGE = Pattern.compile("(!\\[[^\\]]*]\\(\\s*<?)([^)\\s>]+)(>?(?:\\s+\"[^\"]*\")?\\s*\\))");
  private static final Pattern HTML_IMAGE = Pattern.compile("(<img\\s[^>]*?src=[\"'])([^\"']+)([\"'])",
    Pattern.CASE_INSENSITIVE);
  private static final Pattern REMOTE = Pattern.compile("^(?i)(https?:)?//.*");
  private static final Pattern NOT_RELATIVE = Pattern.compile("^(?i)([a-z][a-z0-9+.-]*:|/|#).*");

  private final String baseDir;
  private final Map<String, byte[]> entries;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, Draft.File> images = new LinkedHashMap<>();
  private final Set<String> imagePaths = new HashSet<>();
  private String stepTitle = "";
  /** A callout ends at a blank line; one is added only when the text after it does not start with one. */
  private boolean afterCallout;

  private ClaatMarkdown(String baseDir, Map<String, byte[]> entries) {
    this.baseDir = baseDir;
    this.entries = entries;
  }

  /**
   * The codelab in {@code text}; {@code baseDir} is the folder of the Markdown file inside {@code entries} (the
   * other files of its ZIP, empty for a lone file), against which relative images are found.
   */
  public static Draft parse(String text, String baseDir, Map<String, byte[]> entries) {
    return new ClaatMarkdown(baseDir, entries).parse(text);
  }

  private Draft parse(String text) {
    List<String> lines = Arrays.asList(text.replace("\uFEFF", "").replace("\r\n", "\n").replace('\r', '\n')
      .split("\n", -1));
    Map<String, String> metadata = new LinkedHashMap<>();
    int at = header(lines, metadata);
    String title = null;
    if (at < lines.size() && TITLE.matcher(lines.get(at)).matches()) {
      Matcher matched = TITLE.matcher(lines.get(at));
      matched.matches();
      title = matched.group(1);
      at++;
    }
    List<List<String>> stepLines = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    List<String> preamble = new ArrayList<>();
    List<String> current = preamble;
    String fence = null;
    for (int i = at; i < lines.size(); i++) {
      String line = lines.get(i);
      if (fence == null) {
        Matcher step = STEP.matcher(line);
        if (step.matches()) {
          titles.add(step.group(1));
          current = new ArrayList<>();
          stepLines.add(current);
          continue;
        }
      }
      fence = fenceAfter(line, fence);
      current.add(line);
    }
    if (titles.isEmpty()) {
      throw ErrorCode.INVALID.failure("No step found: a claat codelab has a \"## \" heading per step (outside code "
        + "fences)");
    }
    String before = String.join("\n", preamble).strip();
    if (!before.isEmpty()) {
      warnings.add("Text between the title and the first step belongs to no step and was left out: \""
        + shorten(before) + "\"");
    }
    List<Draft.Step> steps = new ArrayList<>();
    for (int i = 0; i < titles.size(); i++) {
      stepTitle = titles.get(i).isBlank() ? "Step " + (i + 1) : titles.get(i);
      steps.add(step(stepTitle, stepLines.get(i)));
    }
    if (title == null || title.isBlank()) {
      title = metadata.getOrDefault("id", "Imported codelab");
      warnings.add("The file has no \"# \" title; the codelab is called \"" + title + "\"");
    }
    return new Draft(settings(title, metadata), steps, new ArrayList<>(images.values()), List.of(), List.of(), warnings);
  }

  /** Reads the metadata lines (optionally between --- lines) up to the title; returns the title's line index. */
  private int header(List<String> lines, Map<String, String> metadata) {
    int i = 0;
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    boolean yaml = i < lines.size() && lines.get(i).strip().equals("---");
    if (yaml) {
      i++;
    }
    List<String> dropped = new ArrayList<>();
    for (; i < lines.size(); i++) {
      String line = lines.get(i);
      if (yaml && line.strip().equals("---")) {
        yaml = false;
        continue;
      }
      if (TITLE.matcher(line).matches() || STEP.matcher(line).matches()) {
        break;
      }
      Matcher meta = META.matcher(line.strip());
      if (meta.matches()) {
        metadata.put(meta.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", " "), meta.group(2).strip());
      } else if (!line.isBlank()) {
        dropped.add(line.strip());
      }
    }
    if (!dropped.isEmpty()) {
      warnings.add("Lines before the title that are not metadata were left out: \""
        + shorten(String.join(" ", dropped)) + "\"");
    }
    return i;
  }

  private Draft.Settings settings(String title, Map<String, String> metadata) {
    String author = metadata.getOrDefault("authors", metadata.getOrDefault("author", ""));
    List<String> categories = new ArrayList<>();
    for (String category : metadata.getOrDefault("categories", metadata.getOrDefault("category", "")).split(",")) {
      if (!category.isBlank()) {
        categories.add(category.strip());
      }
    }
    Set<String> kept = Set.of("summary", "authors", "author", "categories", "category");
    metadata.forEach((key, value) -> {
      if (!kept.contains(key)) {
        warnings.add("Metadata \"" + key + ": " + shorten(value) + "\" has no counterpart here and was not kept");
      }
    });
    return new Draft.Settings(title, metadata.getOrDefault("summary", ""), author, categories, "public", null,
      new JsonObject());
  }

  private Draft.Step step(String title, List<String> lines) {
    int minutes = -1;
    afterCallout = false;
    List<String> out = new ArrayList<>();
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (fence != null) {
        fence = fenceAfter(line, fence);
        out.add(line);
        continue;
      }
      Matcher meta = STEP_META.matcher(line.strip());
      if (meta.matches() && out.stream().allMatch(String::isBlank)) {
        if (meta.group(1).toLowerCase(Locale.ROOT).startsWith("duration")) {
          minutes = duration(meta.group(2).strip());
        } else {
          warnings.add(where() + "\"" + line.strip() + "\" has no counterpart here; the step is shown everywhere");
        }
        continue;
      }
      if (afterCallout && !line.isBlank()) {
        out.add("");
      }
      afterCallout = false;
      i = convert(lines, i, out);
      fence = fenceAfter(lines.get(i), null);
    }
    while (!out.isEmpty() && out.get(0).isBlank()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    return new Draft.Step(title, minutes < 0 ? DEFAULT_MINUTES : minutes, String.join("\n", out) + "\n");
  }

  /** Converts the construct starting at line {@code i} into {@code out}; returns the index of its last line. */
  private int convert(List<String> lines, int i, List<String> out) {
    String line = lines.get(i);
    Matcher aside = ASIDE_OPEN.matcher(line);
    if (aside.matches()) {
      List<String> body = new ArrayList<>();
      String rest = aside.group(2);
      int j = i;
      while (true) {
        int close = rest.toLowerCase(Locale.ROOT).indexOf("</aside>");
        if (close >= 0) {
          body.add(rest.substring(0, close));
          break;
        }
        body.add(rest);
        if (++j >= lines.size()) {
          warnings.add(where() + "an <aside> is never closed; its text became a callout up to the end of the step");
          j = lines.size() - 1;
          break;
        }
        rest = lines.get(j);
      }
      callout(aside.group(1), body, out);
      return j;
    }
    Matcher quoted = QUOTED_ASIDE.matcher(line);
    if (quoted.matches()) {
      List<String> body = new ArrayList<>(List.of(quoted.group(2)));
      int j = i;
      while (j + 1 < lines.size() && lines.get(j + 1).stripLeading().startsWith(">")) {
        body.add(lines.get(++j).stripLeading().substring(1).replaceFirst("^ ", ""));
      }
      callout(quoted.group(1), body, out);
      return j;
    }
    Matcher infobox = INFOBOX.matcher(line);
    if (infobox.matches() && i + 1 < lines.size() && DEFINITION.matcher(lines.get(i + 1)).matches()) {
      Matcher first = DEFINITION.matcher(lines.get(i + 1));
      first.matches();
      List<String> body = new ArrayList<>(List.of(first.group(1)));
      int j = i + 1;
      while (j + 1 < lines.size() && !lines.get(j + 1).isBlank()) {
        Matcher more = DEFINITION.matcher(lines.get(++j));
        body.add(more.matches() ? more.group(1) : lines.get(j));
      }
      callout(infobox.group(1), body, out);
      return j;
    }
    Matcher button = BUTTON_OPEN.matcher(line);
    if (button.matches()) {
      StringBuilder inside = new StringBuilder(button.group(1));
      int j = i;
      while (!inside.toString().toLowerCase(Locale.ROOT).contains("</button>") && j + 1 < lines.size()) {
        inside.append('\n').append(lines.get(++j));
      }
      String html = inside.toString().replaceFirst("(?i)</button>.*", "").strip();
      Matcher markdown = MARKDOWN_LINK.matcher(html);
      Matcher anchor = HTML_LINK.matcher(html);
      if (markdown.find()) {
        out.add("**[" + markdown.group(1) + "](" + markdown.group(2) + ")**");
      } else if (anchor.find()) {
        out.add("**[" + anchor.group(2).strip() + "](" + anchor.group(1) + ")**");
      } else {
        warnings.add(where() + "a <button> without a link was kept as text");
        out.add(html);
      }
      return j;
    }
    if (FRAGMENT_IMPORT.matcher(line).matches()) {
      warnings.add(where() + "the fragment import " + line.strip() + " cannot be followed; paste that file's text "
        + "into the step");
      return i;
    }
    out.add(images(video(line)));
    return i;
  }

  private void callout(String kind, List<String> body, List<String> out) {
    List<String> text = new ArrayList<>(body.stream().map(String::strip).toList());
    while (!text.isEmpty() && text.get(0).isEmpty()) {
      text.remove(0);
    }
    while (!text.isEmpty() && text.get(text.size() - 1).isEmpty()) {
      text.remove(text.size() - 1);
    }
    if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
      out.add("");
    }
    out.add(kind.equalsIgnoreCase("negative") ? "> [!WARNING]" : "> [!TIP]");
    text.forEach(line -> out.add(line.isEmpty() ? ">" : "> " + images(line)));
    afterCallout = true;
  }

  private String video(String line) {
    Matcher video = VIDEO.matcher(line);
    if (!video.find()) {
      return line;
    }
    warnings.add(where() + "the YouTube video " + video.group(1) + " is kept as a link");
    return video.replaceAll(match -> Matcher.quoteReplacement("[YouTube video](https://www.youtube.com/watch?v="
      + match.group(1) + ")"));
  }

  private String images(String line) {
    String markdown = IMAGE.matcher(line).replaceAll(match -> Matcher.quoteReplacement(match.group(1)
      + image(match.group(2)) + match.group(3)));
    return HTML_IMAGE.matcher(markdown).replaceAll(match -> Matcher.quoteReplacement(match.group(1)
      + image(match.group(2)) + match.group(3)));
  }

  /** Where a relative image now is: one of the codelab's images, or unchanged with a warning. */
  private String image(String destination) {
    if (REMOTE.matcher(destination).matches()) {
      warnings.add(where() + "the remote image " + shorten(destination) + " is not shown by this server's pages, "
        + "which show only images stored here; upload it as an image of the codelab");
      return destination;
    }
    if (NOT_RELATIVE.matcher(destination).matches()) {
      return destination;
    }
    String path = resolve(destination);
    byte[] bytes = path == null ? null : entries.get(path);
    if (bytes == null) {
      warnings.add(where() + "the image " + shorten(destination) + " is not in the upload; upload the codelab as a "
        + "ZIP with its images to keep it");
      return destination;
    }
    Draft.File file = images.computeIfAbsent(path, found -> {
      String name = CodelabArchive.safeName(found);
      return new Draft.File(CodelabArchive.unique("images/" + name, imagePaths), "image", name, name, bytes);
    });
    return file.path();
  }

  /** The entry a relative destination names, or null when it leaves the upload. */
  private String resolve(String destination) {
    String decoded = destination.replace("%20", " ").replaceFirst("[?#].*$", "");
    List<String> parts = new ArrayList<>(baseDir.isEmpty() ? List.of() : List.of(baseDir.split("/")));
    for (String part : decoded.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** Whole minutes, rounded: {@code hh:mm:ss}, {@code mm:ss}, or a bare number of minutes. */
  private int duration(String value) {
    if (!DURATION.matcher(value).matches()) {
      warnings.add(where() + "the duration \"" + shorten(value) + "\" is not hh:mm:ss, mm:ss or minutes; "
        + DEFAULT_MINUTES + " minute is used");
      return DEFAULT_MINUTES;
    }
    String[] parts = value.split(":");
    long seconds = switch (parts.length) {
      case 1 -> Long.parseLong(parts[0]) * 60;
      case 2 -> Long.parseLong(parts[0]) * 60 + Long.parseLong(parts[1]);
      default -> Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60 + Long.parseLong(parts[2]);
    };
    return (int) Math.min((seconds + 30) / 60, 24 * 60);
  }

  private String where() {
    return "Step \"" + stepTitle + "\": ";
  }

  /** The open fence after this line: a fence opens with ``` or ~~~ and closes with at least as many of the same. */
  static String fenceAfter(String line, String open) {
    Matcher fence = FENCE.matcher(line);
    if (!fence.matches()) {
      return open;
    }
    String marker = fence.group(1);
    if (open == null) {
      return marker;
    }
    boolean closes = marker.charAt(0) == open.charAt(0) && marker.length() >= open.length()
      && fence.group(2).isBlank();
    return closes ? null : open;
  }

  static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() > 80 ? flat.substring(0, 80) + "..." : flat;
  }
}

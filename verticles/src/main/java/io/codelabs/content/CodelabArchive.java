package io.codelabs.content;

import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * This platform's own export: {@code manifest.json} (format, version, the steps in order, the files with their
 * sha256, the links), {@code codelab.json} (settings and completion rules), {@code quizzes.json} (the quizzes with
 * their answer keys, without ids: an import makes new ones), one {@code steps/NN-slug.md} per step with a front matter
 * of title and duration, and the files under {@code images/} and {@code materials/}. Written the same way every
 * time (fixed entry times, fixed order), so two exports of the same content are the same bytes and diff well in git.
 * Version 1 had no quizzes and no completion rules; it still reads, with none and the default rules.
 */
public final class CodelabArchive {
  public static final String FORMAT = "open-codelabs-vertx";
  public static final int VERSION = 2;
  public static final String MANIFEST = "manifest.json";
  private static final String SETTINGS = "codelab.json";
  private static final String QUIZZES = "quizzes.json";
  private static final List<String> QUIZ_FIELDS = List.of("title", "step", "attempts", "scoring", "reveal");
  private static final List<String> QUESTION_FIELDS = List.of("id", "kind", "prompt", "points", "choices", "correct",
    "accepted");
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);
  private static final int MAX_SLUG = 40;

  private CodelabArchive() {
  }

  /** Whether the entries carry our manifest, whatever its version. */
  static boolean isOurs(Map<String, byte[]> entries) {
    byte[] manifest = entries.get(MANIFEST);
    if (manifest == null) {
      return false;
    }
    try {
      return FORMAT.equals(new JsonObject(new String(manifest, StandardCharsets.UTF_8)).getString("format"));
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
  }

  /** The archive path each file gets: its kind's folder and its name, made unique in the order given. */
  public static List<String> filePaths(List<Draft.File> files) {
    Set<String> taken = new HashSet<>();
    List<String> paths = new ArrayList<>();
    for (Draft.File file : files) {
      paths.add(unique(("image".equals(file.kind()) ? "images/" : "materials/") + safeName(file.fileName()), taken));
    }
    return paths;
  }

  /** The name an export of a codelab with this title is offered under. */
  public static String fileName(String title) {
    return slug(title) + ".zip";
  }

  /**
   * Writes the draft, whose files' paths are the ones {@link #filePaths} gives. A file without bytes is read from
   * {@code stored} under its path, so large materials are streamed rather than held in memory.
   */
  public static void write(Draft draft, Map<String, Path> stored, OutputStream out) throws IOException {
    JsonArray stepPaths = new JsonArray();
    Map<String, byte[]> steps = new LinkedHashMap<>();
    for (int i = 0; i < draft.steps().size(); i++) {
      Draft.Step step = draft.steps().get(i);
      String path = String.format(Locale.ROOT, "steps/%02d-%s.md", i + 1, slug(step.title()));
      stepPaths.add(path);
      steps.put(path, FrontMatter.write(step).getBytes(StandardCharsets.UTF_8));
    }
    JsonArray files = new JsonArray();
    for (Draft.File file : draft.files()) {
      files.add(new JsonObject().put("path", file.path()).put("kind", file.kind()).put("title", file.title())
        .put("fileName", file.fileName()).put("sha256", file.bytes() != null ? sha256(file.bytes())
          : sha256(stored.get(file.path()))));
    }
    JsonArray links = new JsonArray();
    draft.links().forEach(link -> links.add(new JsonObject().put("title", link.title()).put("url", link.url())));
    JsonObject manifest = new JsonObject().put("format", FORMAT).put("version", VERSION)
      .put("steps", stepPaths).put("files", files).put("links", links);
    Draft.Settings settings = draft.settings();
    JsonObject codelab = new JsonObject().put("title", settings.title()).put("summary", settings.summary())
      .put("author", settings.author()).put("categories", new JsonArray(settings.categories()))
      .put("visibility", settings.visibility()).put("joinCode", settings.joinCode())
      .put("completion", settings.completion());
    JsonArray quizzes = new JsonArray(draft.quizzes().stream().map(CodelabArchive::portable).toList());
    try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      put(zip, MANIFEST, (manifest.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8));
      put(zip, SETTINGS, (codelab.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8));
      put(zip, QUIZZES, (quizzes.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, byte[]> step : steps.entrySet()) {
        put(zip, step.getKey(), step.getValue());
      }
      for (Draft.File file : draft.files()) {
        if (file.bytes() != null) {
          put(zip, file.path(), file.bytes());
        } else {
          ZipEntry entry = new ZipEntry(file.path());
          entry.setTimeLocal(ENTRY_TIME);
          zip.putNextEntry(entry);
          Files.copy(stored.get(file.path()), zip);
          zip.closeEntry();
        }
      }
    }
  }

  /** Reads entries {@link #isOurs} accepted; a newer version is refused rather than half understood. */
  static Draft read(Map<String, byte[]> entries) {
    JsonObject manifest = json(entries, MANIFEST);
    int version = manifest.getInteger("version", 0);
    if (version < 1 || version > VERSION) {
      throw ErrorCode.INVALID.failure("This export has format version " + version + "; this server reads version "
        + VERSION + " and older. Import it into a server of the version that made it");
    }
    JsonObject codelab = json(entries, SETTINGS);
    List<String> warnings = new ArrayList<>();
    Set<String> used = new HashSet<>(List.of(MANIFEST, SETTINGS, QUIZZES));
    List<Draft.Step> steps = new ArrayList<>();
    for (Object path : manifest.getJsonArray("steps", new JsonArray())) {
      steps.add(FrontMatter.read(String.valueOf(path), text(entries, String.valueOf(path))));
      used.add(String.valueOf(path));
    }
    List<Draft.File> files = new ArrayList<>();
    for (Object listed : manifest.getJsonArray("files", new JsonArray())) {
      JsonObject file = (JsonObject) listed;
      String path = file.getString("path", "");
      byte[] bytes = required(entries, path);
      if (!sha256(bytes).equals(file.getString("sha256"))) {
        throw ErrorCode.INVALID.failure("\"" + path + "\" does not match the sha256 in the manifest; the export is "
          + "damaged and nothing was imported");
      }
      String kind = "image".equals(file.getString("kind")) ? "image" : "file";
      files.add(new Draft.File(path, kind, file.getString("title", path), file.getString("fileName", path), bytes));
      used.add(path);
    }
    List<Draft.Link> links = new ArrayList<>();
    for (Object listed : manifest.getJsonArray("links", new JsonArray())) {
      JsonObject link = (JsonObject) listed;
      links.add(new Draft.Link(link.getString("title", ""), link.getString("url", "")));
    }
    entries.keySet().stream().filter(name -> !used.contains(name)).forEach(name ->
      warnings.add("\"" + ZipEntries.printable(name) + "\" is not listed in the manifest and was left out"));
    List<String> categories = codelab.getJsonArray("categories", new JsonArray()).stream().map(String::valueOf).toList();
    if (codelab.containsKey("completion") && !(codelab.getValue("completion") instanceof JsonObject)) {
      throw ErrorCode.INVALID.failure(SETTINGS + ": completion must be an object of rules");
    }
    Draft.Settings settings = new Draft.Settings(codelab.getString("title", ""), codelab.getString("summary", ""),
      codelab.getString("author", ""), categories, codelab.getString("visibility", "public"),
      codelab.getString("joinCode"), codelab.getJsonObject("completion", new JsonObject()));
    return new Draft(settings, steps, files, links, quizzes(entries), warnings);
  }

  private static List<JsonObject> quizzes(Map<String, byte[]> entries) {
    if (!entries.containsKey(QUIZZES)) {
      return List.of();
    }
    JsonArray quizzes;
    try {
      quizzes = new JsonArray(text(entries, QUIZZES));
    } catch (DecodeException e) {
      throw ErrorCode.INVALID.failure(QUIZZES + " is not a JSON list: " + e.getMessage());
    }
    List<JsonObject> portable = new ArrayList<>();
    for (Object quiz : quizzes) {
      if (!(quiz instanceof JsonObject json) || !(json.getValue("questions") instanceof JsonArray questions)
        || !questions.stream().allMatch(JsonObject.class::isInstance)) {
        throw ErrorCode.INVALID.failure(QUIZZES + " must be a list of quizzes, each with a list of questions");
      }
      portable.add(portable(json));
    }
    return portable;
  }

  /** A quiz as the archive holds it: what its facilitators wrote, field by field, without its id or rendered HTML. */
  private static JsonObject portable(JsonObject quiz) {
    JsonObject kept = new JsonObject();
    QUIZ_FIELDS.forEach(field -> kept.put(field, quiz.getValue(field)));
    JsonArray questions = new JsonArray();
    for (Object value : quiz.getJsonArray("questions", new JsonArray())) {
      JsonObject question = (JsonObject) value;
      JsonObject keptQuestion = new JsonObject();
      QUESTION_FIELDS.stream().filter(question::containsKey)
        .forEach(field -> keptQuestion.put(field, question.getValue(field)));
      questions.add(keptQuestion);
    }
    return kept.put("questions", questions);
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTimeLocal(ENTRY_TIME);
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  private static JsonObject json(Map<String, byte[]> entries, String name) {
    try {
      return new JsonObject(text(entries, name));
    } catch (DecodeException e) {
      throw ErrorCode.INVALID.failure(name + " is not valid JSON: " + e.getMessage());
    }
  }

  static String text(Map<String, byte[]> entries, String name) {
    return new String(required(entries, name), StandardCharsets.UTF_8);
  }

  private static byte[] required(Map<String, byte[]> entries, String name) {
    byte[] bytes = entries.get(name);
    if (bytes == null) {
      throw ErrorCode.INVALID.failure("The export lists \"" + ZipEntries.printable(name)
        + "\" but does not contain it; nothing was imported");
    }
    return bytes;
  }

  /** Lowercase ASCII words joined by dashes, for file names people can read. */
  static String slug(String title) {
    String ascii = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
      .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    String cut = ascii.length() > MAX_SLUG ? ascii.substring(0, MAX_SLUG).replaceAll("-+$", "") : ascii;
    return cut.isEmpty() ? "step" : cut;
  }

  /** A name that is one harmless path segment: no separators, no leading dots, no control characters. */
  static String safeName(String fileName) {
    String name = fileName == null ? "" : fileName.substring(Math.max(fileName.lastIndexOf('/'),
      fileName.lastIndexOf('\\')) + 1);
    name = name.replaceAll("[\\x00-\\x1F\\x7F<>:\"|?*]", "_").replaceFirst("^[.\\s]+", "").strip();
    return name.isEmpty() ? "file" : name;
  }

  static String unique(String path, Set<String> taken) {
    String candidate = path;
    int dot = path.lastIndexOf('.');
    boolean extension = dot > path.lastIndexOf('/') + 1;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = extension ? path.substring(0, dot) + "-" + n + path.substring(dot) : path + "-" + n;
    }
    return candidate;
  }

  static String sha256(byte[] bytes) {
    MessageDigest digest = sha256();
    return HexFormat.of().formatHex(digest.digest(bytes));
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

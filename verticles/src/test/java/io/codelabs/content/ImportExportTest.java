package io.codelabs.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.QuizFixtures;
import io.codelabs.TestNode;
import io.codelabs.storage.UploadLimits;
import io.codelabs.uploads.UploadClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Codelabs exported and imported through the REST API of a real node, with real storage and SQLite. */
@DisplayName("Codelab export and import")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImportExportTest extends NodeTestBase {
  private static final int MAX_FILE = 1 << 20;
  private static final int MAX_IMPORT = 2 << 20;
  private static final int MAX_ENTRIES = 50;
  private static final int MAX_UNPACKED = 4 << 20;

  private static UploadClient uploads;

  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir, new JsonObject()
      .put(UploadLimits.MAX_FILE_BYTES, MAX_FILE)
      .put(ImportLimits.MAX_BYTES, MAX_IMPORT)
      .put(ImportLimits.MAX_ENTRIES, MAX_ENTRIES)
      .put(ImportLimits.MAX_UNCOMPRESSED_BYTES, MAX_UNPACKED));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    uploads = new UploadClient(node.vertx, node.httpPort);
  }

  @AfterAll
  static void closeUploads() {
    uploads.close();
  }

  @Test
  @DisplayName("a claat Markdown file: metadata, steps outside fences, both Duration forms, every info box, buttons")
  void claatMarkdown() {
    Http.Response imported = importFile("brewing.md", resource("every-construct.md"));

    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    JsonObject codelab = read(imported.json().getString("codelabId"));
    assertThat(codelab.getString("title")).isEqualTo("Brewing Tea, Step by Step");
    assertThat(codelab.getString("summary")).isEqualTo("Brew tea with a kettle and a timer");
    assertThat(codelab.getString("author")).isEqualTo("Mina Park");
    assertThat(codelab.getJsonArray("categories")).containsExactly("kitchen", "beverages");
    assertThat(codelab.getString("access")).isEqualTo("owner");
    List<JsonObject> steps = steps(codelab);
    assertThat(steps).extracting(step -> step.getString("title"))
      .containsExactly("Before you start", "Heat the water", "Steep", "Enjoy");
    assertThat(steps).extracting(step -> step.getInteger("durationMinutes")).containsExactly(3, 13, 4, 1);
    assertThat(steps.get(0).getString("markdown")).contains(
      "> [!TIP]\n> Fresh water tastes better than water boiled twice.",
      "> [!WARNING]\n> The kettle gets hot: hold it by the handle.").doesNotContain("aside", "Duration");
    assertThat(steps.get(1).getString("markdown")).startsWith("> [!TIP]\n> A glass kettle lets you see the bubbles.\n\n"
      + "> [!WARNING]\n> Never fill above the max line.\n\n"
      + "> [!TIP]\n> Green tea likes 80 degrees, not 100.\n\n"
      + "> [!WARNING]\n> Boiling water scalds.\n\n![The kettle](img/kettle.png)\n")
      .doesNotContain("Positive", "Negative", "aside");
    assertThat(steps.get(2).getString("markdown")).contains(
      "## this is a comment in a shell script, not a step", "## Not a step either",
      "**[Download the timer app](https://example.org/timer.zip)**",
      "[YouTube video](https://www.youtube.com/watch?v=abcdefghijk)").doesNotContain("<button>", "<<shared");
    assertThat(steps.get(2).getString("html")).contains("<a href=\"https://example.org/timer.zip\"");
    assertThat(steps.get(3).getString("markdown")).doesNotContain("Environment")
      .contains("\n\nDuration: is a word this step uses in its text, which stays.\n");
    assertThat(imported.json().getJsonArray("warnings").stream().map(String::valueOf).toList())
      .anyMatch(warning -> warning.contains("status: Published"))
      .anyMatch(warning -> warning.contains("environments: Web"))
      .anyMatch(warning -> warning.contains("feedback link"))
      .anyMatch(warning -> warning.contains("tags: tea"))
      .anyMatch(warning -> warning.contains("id: brewing-tea"))
      .anyMatch(warning -> warning.contains("img/kettle.png") && warning.contains("not in the upload"))
      .anyMatch(warning -> warning.contains("img/cup.png") && warning.contains("not in the upload"))
      .anyMatch(warning -> warning.contains("https://example.org/cup.png"))
      .anyMatch(warning -> warning.contains("YouTube video abcdefghijk"))
      .anyMatch(warning -> warning.contains("<<shared-setup.md>>"))
      .anyMatch(warning -> warning.contains("Environment: kiosk"));
  }

  @Test
  @DisplayName("a claat ZIP with its img/ folder: the images become the codelab's images, shown by the steps")
  void claatZipWithImages() {
    byte[] kettle = png(1);
    byte[] cup = png(2);
    Http.Response imported = importFile("brewing.zip", zip(Map.of(
      "brewing/codelab.md", resource("every-construct.md"),
      "brewing/img/kettle.png", kettle,
      "brewing/img/cup.png", cup)));

    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    String codelabId = imported.json().getString("codelabId");
    assertThat(imported.json().getJsonArray("warnings").stream().map(String::valueOf).toList())
      .noneMatch(warning -> warning.contains("not in the upload"));
    List<JsonObject> images = materials(codelabId);
    assertThat(images).extracting(image -> image.getString("kind")).containsExactly("image", "image");
    assertThat(images).extracting(image -> image.getString("fileName")).containsExactly("kettle.png", "cup.png");
    String kettleUrl = "/api/codelabs/" + codelabId + "/materials/" + images.get(0).getString("id") + "/file";
    String cupUrl = "/api/codelabs/" + codelabId + "/materials/" + images.get(1).getString("id") + "/file";
    List<JsonObject> steps = steps(read(codelabId));
    assertThat(steps.get(1).getString("markdown")).contains("![The kettle](" + kettleUrl + ")");
    assertThat(steps.get(1).getString("html")).contains("<img src=\"" + kettleUrl + "\"");
    assertThat(steps.get(3).getString("markdown")).contains("<img src=\"" + cupUrl + "\"");
    assertThat(uploads.download(kettleUrl, admin).body().getBytes()).isEqualTo(kettle);
    assertThat(uploads.download(cupUrl, admin).body().getBytes()).isEqualTo(cup);
  }

  @Test
  @DisplayName("a lone claat file without durations: claat's one minute, and a warning for its missing image")
  void claatWithoutDurations() {
    Http.Response imported = importFile("quick.md", resource("lone-no-duration.md"));

    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    List<JsonObject> steps = steps(read(imported.json().getString("codelabId")));
    assertThat(steps).extracting(step -> step.getInteger("durationMinutes")).containsExactly(1);
    assertThat(steps.get(0).getString("markdown")).contains("![missing](img/missing.png)");
    assertThat(imported.json().getJsonArray("warnings").encode()).contains("img/missing.png");
  }

  @Test
  @DisplayName("an Open Codelabs export: codelab.json, step_NN_<Title>.md and the preparation guide")
  void openCodelabsZip() {
    JsonObject settings = new JsonObject().put("id", "7a1c").put("title", "Rust REST API")
      .put("description", "Build an API with Axum").put("author", "Hong").put("is_public", 0)
      .put("quiz_enabled", 1).put("require_quiz", 0).put("require_feedback", 1).put("require_submission", true)
      .put("guide_markdown", "Install Rust.");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("codelab.json", settings.encodePrettily().getBytes(StandardCharsets.UTF_8));
    entries.put("step_02_Add_Routes.md", "Add `/users`.\n\n![routes](/uploads/routes.png)".getBytes(StandardCharsets.UTF_8));
    entries.put("step_01_Project_Setup.md", "Run `cargo new api`.".getBytes(StandardCharsets.UTF_8));
    entries.put("preparation_guide.md", "Install Rust 1.80.".getBytes(StandardCharsets.UTF_8));

    Http.Response imported = importFile("codelab_7a1c.zip", zip(entries));

    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    JsonObject codelab = read(imported.json().getString("codelabId"));
    assertThat(codelab.getString("title")).isEqualTo("Rust REST API");
    assertThat(codelab.getString("summary")).isEqualTo("Build an API with Axum");
    assertThat(codelab.getString("author")).isEqualTo("Hong");
    assertThat(codelab.getString("visibility")).isEqualTo("private");
    assertThat(codelab.getString("joinCode")).hasSize(8);
    assertThat(codelab.getJsonObject("completion")).isEqualTo(new JsonObject().put("allSteps", true).put("quiz", false)
      .put("passMark", 70).put("feedback", true).put("submission", true));
    List<JsonObject> steps = steps(codelab);
    assertThat(steps).extracting(step -> step.getString("title"))
      .containsExactly("Preparation guide", "Project Setup", "Add Routes");
    assertThat(steps).extracting(step -> step.getString("markdown"))
      .containsExactly("Install Rust 1.80.\n", "Run `cargo new api`.", "Add `/users`.\n\n![routes](/uploads/routes.png)");
    assertThat(imported.json().getJsonArray("warnings").encode()).contains("quiz_enabled", "private", "Preparation guide",
      "/uploads/routes.png")
      .doesNotContain("require_quiz", "require_feedback", "require_submission");
  }

  @Test
  @DisplayName("export, import, export: the same manifest and the same bytes for every step, quiz and file")
  void roundTrip() {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Round trip: \"quoted\" & more")
      .put("summary", "Everything a facilitator writes").put("author", "Kim").put("categories", new JsonArray()
        .add("java").add("vert.x")).put("visibility", "private").put("joinCode", "tea-time"));
    byte[] diagram = png(3);
    byte[] handout = "Read this first.\n".getBytes(StandardCharsets.UTF_8);
    String imageId = uploads.upload("/api/codelabs/" + codelabId + "/images", admin, "diagram.png", diagram, "Diagram")
      .json().getJsonObject("material").getString("id");
    uploads.upload("/api/codelabs/" + codelabId + "/materials/files", admin, "handout.txt", handout, "Handout");
    uploads.upload("/api/codelabs/" + codelabId + "/materials/files", admin, "diagram.png", png(4), "Same name");
    http.post("/api/codelabs/" + codelabId + "/materials", admin, new JsonObject()
      .put("url", "https://vertx.io/docs/").put("title", "Docs"));
    String imageUrl = "/api/codelabs/" + codelabId + "/materials/" + imageId + "/file";
    Http.Response stepsSet = http.put("/api/codelabs/" + codelabId + "/steps", admin, new JsonObject().put("steps",
      new JsonArray()
        .add(new JsonObject().put("title", "Setup: JDK").put("markdown", "Install **Java 17**.\n\n![diagram](" + imageUrl
          + ")\n").put("durationMinutes", 7))
        .add(new JsonObject().put("title", "한국어 단계").put("markdown", "```java\n## not a heading\n```")
          .put("durationMinutes", 0))));
    assertThat(stepsSet.status()).as(stepsSet.text()).isEqualTo(200);
    JsonObject everyKind = QuizFixtures.everyKind(3, "last", "after-last-attempt").put("step", 1);
    everyKind.getJsonArray("questions").getJsonObject(0).put("prompt", "Which **one** is shown?\n\n![diagram]("
      + imageUrl + ")");
    JsonObject unbound = new JsonObject().put("title", "Warm-up").put("attempts", 0).put("scoring", "best")
      .put("reveal", "never").put("questions", new JsonArray().add(new JsonObject().put("id", "port").put("kind", "short")
        .put("prompt", "Default port?").put("points", 5).put("accepted", new JsonArray().add("8080"))));
    Http.Response quizzesSet = http.put("/api/codelabs/" + codelabId + "/quizzes", admin,
      new JsonObject().put("quizzes", new JsonArray().add(everyKind).add(unbound)));
    assertThat(quizzesSet.status()).as(quizzesSet.text()).isEqualTo(200);
    JsonObject rules = new JsonObject().put("allSteps", false).put("quiz", true).put("passMark", 85)
      .put("feedback", true).put("submission", true);
    Http.Response rulesSet = http.patch("/api/codelabs/" + codelabId, admin, new JsonObject().put("completion", rules));
    assertThat(rulesSet.status()).as(rulesSet.text()).isEqualTo(200);

    byte[] first = export(codelabId, admin);
    Map<String, byte[]> firstEntries = unzip(first);
    assertThat(firstEntries.keySet()).containsExactly("manifest.json", "codelab.json", "quizzes.json",
      "steps/01-setup-jdk.md", "steps/02-step.md", "images/diagram.png", "materials/handout.txt",
      "materials/diagram.png");
    assertThat(text(firstEntries, "steps/01-setup-jdk.md")).isEqualTo("---\ntitle: \"Setup: JDK\"\nduration: 7\n---\n"
      + "Install **Java 17**.\n\n![diagram](images/diagram.png)\n");
    assertThat(firstEntries.get("images/diagram.png")).isEqualTo(diagram);
    assertThat(firstEntries.get("materials/handout.txt")).isEqualTo(handout);
    JsonObject manifest = new JsonObject(text(firstEntries, "manifest.json"));
    assertThat(manifest.getString("format")).isEqualTo("open-codelabs-vertx");
    assertThat(manifest.getInteger("version")).isEqualTo(2);
    assertThat(new JsonObject(text(firstEntries, "codelab.json")).getJsonObject("completion")).isEqualTo(rules);
    JsonArray exportedQuizzes = new JsonArray(text(firstEntries, "quizzes.json"));
    assertThat(exportedQuizzes.stream().map(quiz -> ((JsonObject) quiz).getString("title"))).containsExactly("Check",
      "Warm-up");
    JsonObject exportedCheck = exportedQuizzes.getJsonObject(0);
    assertThat(exportedCheck.fieldNames()).containsExactly("title", "step", "attempts", "scoring", "reveal", "questions");
    assertThat(exportedCheck.getInteger("step")).isEqualTo(1);
    assertThat(exportedCheck.getString("reveal")).isEqualTo("after-last-attempt");
    assertThat(exportedCheck.getJsonArray("questions").getJsonObject(0).getString("prompt"))
      .isEqualTo("Which **one** is shown?\n\n![diagram](images/diagram.png)");
    assertThat(exportedCheck.getJsonArray("questions").getJsonObject(2).getJsonArray("accepted"))
      .containsExactly(QuizFixtures.SECRET_ANSWER, "event loop");
    assertThat(text(firstEntries, "quizzes.json")).doesNotContain("promptHtml", "\"id\" : \"" + quizIds(codelabId).get(0));

    Http.Response imported = importFile("round-trip.zip", first);
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    assertThat(imported.json().getJsonArray("warnings")).isEmpty();
    String copyId = imported.json().getString("codelabId");
    assertThat(copyId).isNotEqualTo(codelabId);
    byte[] second = export(copyId, admin);
    Map<String, byte[]> secondEntries = unzip(second);

    assertThat(secondEntries.keySet()).containsExactlyElementsOf(firstEntries.keySet());
    firstEntries.forEach((name, bytes) -> assertThat(secondEntries.get(name)).as(name).isEqualTo(bytes));
    assertThat(second).isEqualTo(first);
    JsonObject copy = read(copyId);
    assertThat(copy.getString("visibility")).isEqualTo("private");
    assertThat(copy.getString("joinCode")).isEqualTo("tea-time");
    assertThat(copy.getJsonObject("completion")).isEqualTo(rules);
    List<JsonObject> copiedQuizzes = quizzes(copyId);
    assertThat(quizIds(copyId)).hasSize(2).doesNotContainAnyElementsOf(quizIds(codelabId));
    List<JsonObject> originalQuizzes = quizzes(codelabId);
    for (int i = 0; i < 2; i++) {
      for (String setting : List.of("title", "step", "attempts", "scoring", "reveal")) {
        assertThat(copiedQuizzes.get(i).getValue(setting)).as(setting).isEqualTo(originalQuizzes.get(i).getValue(setting));
      }
    }
    assertThat(copiedQuizzes.get(1).getJsonArray("questions")).isEqualTo(originalQuizzes.get(1).getJsonArray("questions"));
    JsonObject copiedQuestion = copiedQuizzes.get(0).getJsonArray("questions").getJsonObject(0);
    assertThat(copiedQuestion.getJsonArray("correct")).containsExactly("c2");
    assertThat(copiedQuestion.getString("promptHtml")).contains("<img src=\"/api/codelabs/" + copyId + "/materials/");
    assertThat(copiedQuizzes.get(0).getJsonArray("questions").getJsonObject(1).getJsonArray("correct"))
      .containsExactly("c1", "c3");
    assertThat(materials(copyId)).extracting(material -> material.getString("kind"))
      .containsExactly("image", "file", "file", "link");
  }

  @Test
  @DisplayName("a version 1 export, from before quizzes and completion rules, still imports with none and the defaults")
  void versionOneExport() {
    String manifest = new JsonObject().put("format", "open-codelabs-vertx").put("version", 1)
      .put("steps", new JsonArray().add("steps/01-hello.md")).put("files", new JsonArray()).put("links", new JsonArray())
      .encodePrettily();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
    entries.put("codelab.json", new JsonObject().put("title", "Made by version 1").put("summary", "Old")
      .put("author", "Kim").put("categories", new JsonArray().add("java")).put("visibility", "public")
      .put("joinCode", null).encodePrettily().getBytes(StandardCharsets.UTF_8));
    entries.put("steps/01-hello.md", "---\ntitle: \"Hello\"\nduration: 4\n---\nSay *hello*.\n"
      .getBytes(StandardCharsets.UTF_8));

    Http.Response imported = importFile("version-1.zip", zip(entries));

    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    assertThat(imported.json().getJsonArray("warnings")).isEmpty();
    String codelabId = imported.json().getString("codelabId");
    JsonObject codelab = read(codelabId);
    assertThat(codelab.getString("title")).isEqualTo("Made by version 1");
    assertThat(steps(codelab)).extracting(step -> step.getString("markdown")).containsExactly("Say *hello*.\n");
    assertThat(codelab.getJsonObject("completion")).isEqualTo(new JsonObject().put("allSteps", true)
      .put("quiz", false).put("passMark", 70).put("feedback", false).put("submission", false));
    assertThat(quizzes(codelabId)).isEmpty();
    Map<String, byte[]> exported = unzip(export(codelabId, admin));
    assertThat(new JsonObject(text(exported, "manifest.json")).getInteger("version")).isEqualTo(2);
    assertThat(text(exported, "quizzes.json")).isEqualTo("[ ]\n");
  }

  @Test
  @DisplayName("only the codelab's facilitators may export it")
  void exportIsForFacilitators() {
    String codelabId = codelab(admin);
    String stranger = newFacilitator(unique("stranger"));
    String attendee = attendee(codelabId, "neo");

    assertThat(uploads.download("/api/codelabs/" + codelabId + "/export", stranger).status()).isEqualTo(403);
    assertThat(uploads.download("/api/codelabs/" + codelabId + "/export", attendee).status()).isEqualTo(403);
    assertThat(uploads.download("/api/codelabs/" + codelabId + "/export", null).status()).isEqualTo(401);
    assertThat(uploads.download("/api/codelabs/no-such-codelab/export", admin).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("bad files answer their problem and leave no codelab and no stored file behind")
  void badFiles() {
    byte[] image = png(5);
    Map<String, byte[]> bomb = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      bomb.put("claat/part" + i + ".bin", new byte[900 * 1024]);
    }
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i <= MAX_ENTRIES; i++) {
      many.put("img/" + i + ".png", image);
    }
    String newer = new JsonObject().put("format", "open-codelabs-vertx").put("version", 99).encode();
    String badLink = new JsonObject().put("format", "open-codelabs-vertx").put("version", 1)
      .put("steps", new JsonArray().add("steps/01-a.md"))
      .put("files", new JsonArray().add(new JsonObject().put("path", "images/a.png").put("kind", "image")
        .put("title", "a").put("fileName", "a.png").put("sha256", CodelabArchive.sha256(image))))
      .put("links", new JsonArray().add(new JsonObject().put("title", "FTP").put("url", "ftp://example.org/x")))
      .encode();
    Map<String, byte[]> refusedByWriter = new LinkedHashMap<>();
    refusedByWriter.put("manifest.json", badLink.getBytes(StandardCharsets.UTF_8));
    refusedByWriter.put("codelab.json", "{\"title\":\"Refused\"}".getBytes(StandardCharsets.UTF_8));
    refusedByWriter.put("steps/01-a.md", "---\ntitle: \"A\"\nduration: 5\n---\n![a](images/a.png)\n"
      .getBytes(StandardCharsets.UTF_8));
    refusedByWriter.put("images/a.png", image);

    Map<String, byte[]> refusedQuiz = new LinkedHashMap<>(refusedByWriter);
    refusedQuiz.put("manifest.json", new JsonObject(badLink).put("links", new JsonArray()).encode()
      .getBytes(StandardCharsets.UTF_8));
    refusedQuiz.put("quizzes.json", new JsonArray().add(new JsonObject().put("title", "Two right")
      .put("questions", new JsonArray().add(new JsonObject().put("kind", "single").put("prompt", "Pick")
        .put("choices", new JsonArray().add(QuizFixtures.choice("a", "A")).add(QuizFixtures.choice("b", "B")))
        .put("correct", new JsonArray().add("a").add("b"))))).encode().getBytes(StandardCharsets.UTF_8));
    Map<String, byte[]> notAList = new LinkedHashMap<>(refusedQuiz);
    notAList.put("quizzes.json", "{\"title\":\"not a list\"}".getBytes(StandardCharsets.UTF_8));

    record Case(String name, String fileName, byte[] content, int status, String detail) {
    }
    List<Case> cases = List.of(
      new Case("not a zip", "codelab.zip", "just text".getBytes(StandardCharsets.UTF_8), 400, "not a ZIP"),
      new Case("a damaged zip", "codelab.zip", new byte[] {'P', 'K', 3, 4, 1, 2, 3}, 400, "Not a readable ZIP"),
      new Case("neither zip nor text", "picture.png", image, 415, "Import a ZIP"),
      new Case("too large", "big.md", new byte[MAX_IMPORT + 1], 413, "at most " + MAX_IMPORT),
      new Case("a zip bomb", "bomb.zip", zip(bomb), 413, "unpacks to more"),
      new Case("an entry larger than a file may be", "large.zip", zip(Map.of("a.md", new byte[MAX_FILE + 1])), 413,
        "larger than " + MAX_FILE),
      new Case("path traversal", "evil.zip", zip(Map.of("../evil.md", "## Step".getBytes(StandardCharsets.UTF_8))),
        400, "unsafe name"),
      new Case("an absolute entry", "evil.zip", zip(Map.of("/etc/evil.md", "## x".getBytes(StandardCharsets.UTF_8))),
        400, "unsafe name"),
      new Case("too many entries", "many.zip", zip(many), 400, "at most " + MAX_ENTRIES),
      new Case("a name twice", "twice.zip", twice(), 400, "twice"),
      new Case("an unknown format", "notes.zip", zip(Map.of("notes.txt", "hello".getBytes(StandardCharsets.UTF_8))),
        400, "Unknown format"),
      new Case("a newer export version", "new.zip", zip(Map.of("manifest.json", newer.getBytes(StandardCharsets.UTF_8))),
        400, "version 99"),
      new Case("markdown without steps", "empty.md", "# Title only\n".getBytes(StandardCharsets.UTF_8), 400,
        "No step found"),
      new Case("a file the writer refuses after its image was stored", "refused.zip", zip(refusedByWriter), 400,
        "url must be an http or https address"),
      new Case("a quiz the writer refuses after the image was stored", "quiz.zip", zip(refusedQuiz), 400,
        "exactly one correct choice"),
      new Case("quizzes that are not a list of quizzes", "quizzes.zip", zip(notAList), 400, "quizzes.json"));

    for (Case bad : cases) {
      int codelabsBefore = codelabCount();
      List<Path> filesBefore = storedFiles();

      Http.Response answer = importFile(bad.fileName, bad.content);

      assertThat(answer.status()).as(bad.name + ": " + answer.text()).isEqualTo(bad.status);
      assertThat(answer.header("Content-Type")).as(bad.name).startsWith("application/problem+json");
      assertThat(answer.json().getString("detail")).as(bad.name).contains(bad.detail);
      assertThat(codelabCount()).as(bad.name).isEqualTo(codelabsBefore);
      assertThat(storedFiles()).as(bad.name).containsExactlyInAnyOrderElementsOf(filesBefore);
      assertThat(quarantined()).as(bad.name).isEmpty();
    }
  }

  @Test
  @DisplayName("importing needs a signed-in facilitator")
  void importNeedsFacilitator() {
    String codelabId = codelab(admin);
    assertThat(importFile("a.md", resource("lone-no-duration.md"), null).status()).isEqualTo(401);
    assertThat(importFile("a.md", resource("lone-no-duration.md"), attendee(codelabId, "trinity")).status())
      .isEqualTo(403);
  }

  private static Http.Response importFile(String fileName, byte[] content) {
    return importFile(fileName, content, admin);
  }

  private static Http.Response importFile(String fileName, byte[] content, String token) {
    return uploads.upload("/api/codelabs/import", token, fileName, content);
  }

  private static byte[] export(String codelabId, String token) {
    UploadClient.Download download = uploads.download("/api/codelabs/" + codelabId + "/export", token);
    assertThat(download.status()).as(download.body().toString()).isEqualTo(200);
    assertThat(download.headers().get("Content-Type")).isEqualTo("application/zip");
    assertThat(download.headers().get("Content-Disposition")).startsWith("attachment; filename=");
    return download.body().getBytes();
  }

  private static JsonObject read(String codelabId) {
    Http.Response response = http.get("/api/codelabs/" + codelabId, admin);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static List<JsonObject> steps(JsonObject codelab) {
    return codelab.getJsonArray("steps").stream().map(JsonObject.class::cast).toList();
  }

  private static List<JsonObject> quizzes(String codelabId) {
    Http.Response quizzes = http.get("/api/codelabs/" + codelabId + "/quizzes", admin);
    assertThat(quizzes.status()).as(quizzes.text()).isEqualTo(200);
    return quizzes.json().getJsonArray("quizzes").stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> quizIds(String codelabId) {
    return quizzes(codelabId).stream().map(quiz -> quiz.getString("id")).toList();
  }

  private static List<JsonObject> materials(String codelabId) {
    return http.get("/api/codelabs/" + codelabId + "/materials", admin).json().getJsonArray("materials").stream()
      .map(JsonObject.class::cast).toList();
  }

  private static int codelabCount() {
    return http.get("/api/codelabs", admin).json().getJsonArray("codelabs").size();
  }

  private static List<Path> storedFiles() {
    return walk(dataDir.resolve("files"));
  }

  private static List<Path> quarantined() {
    return walk(dataDir.resolve("quarantine"));
  }

  private static List<Path> walk(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ImportExportTest.class.getResourceAsStream("/import/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Enough of a PNG for the type check, different per seed. */
  static byte[] png(int seed) {
    byte[] bytes = new byte[2048];
    new Random(seed).nextBytes(bytes);
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, bytes, 0, 8);
    return bytes;
  }

  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Two entries under one name: written under two names of the same length, then renamed in the bytes. */
  private static byte[] twice() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("step.md", "## One".getBytes(StandardCharsets.UTF_8));
    entries.put("xtep.md", "## Two".getBytes(StandardCharsets.UTF_8));
    return new String(zip(entries), StandardCharsets.ISO_8859_1).replace("xtep.md", "step.md")
      .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Map<String, byte[]> unzip(byte[] zip) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private static String text(Map<String, byte[]> entries, String name) {
    return new String(entries.get(name), StandardCharsets.UTF_8);
  }
}

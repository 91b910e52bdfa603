package io.codelabs.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Submissions and materials through the REST API of a node that scans with a real clamd. */
@DisplayName("Uploads, scanned by clamd")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UploadsTest extends NodeTestBase {
  static final int MAX_FILE = 1 << 20;
  static final int QUOTA = 2 << 20;
  static final int MAX_SUBMISSIONS = 5;

  @TempDir
  static Path clamdDir;
  private static Clamd clamd;
  private static UploadClient uploads;
  private static Path leftByACrash;

  @BeforeAll
  protected static void startNode() {
    leftByACrash = dataDir.resolve("quarantine").resolve("0b9b8f0e-5a8e-4f57-9d2f-6c1c3d5e7a90");
    try {
      Files.createDirectories(leftByACrash.getParent());
      Files.writeString(leftByACrash, "half an upload");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Vertx starter = Vertx.vertx();
    try {
      clamd = Clamd.start(starter, clamdDir);
    } finally {
      starter.close().await();
    }
    node = TestNode.start(dataDir, clamd.tcpConfig()
      .put(UploadLimits.MAX_FILE_BYTES, MAX_FILE)
      .put(UploadLimits.MAX_ATTENDEE_BYTES, QUOTA)
      .put(UploadLimits.MAX_SUBMISSIONS, MAX_SUBMISSIONS));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    uploads = new UploadClient(node.vertx, node.httpPort);
  }

  @AfterAll
  static void stopClamd() {
    clamd.close();
  }

  static String submissions(String codelabId) {
    return "/api/codelabs/" + codelabId + "/submissions";
  }

  static String materials(String codelabId) {
    return "/api/codelabs/" + codelabId + "/materials";
  }

  static byte[] code(int size) {
    byte[] text = new byte[size];
    byte[] line = "System.out.println(\"hello\");\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < size; i++) {
      text[i] = line[i % line.length];
    }
    return text;
  }

  static byte[] png() {
    byte[] png = new byte[64];
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(signature, 0, png, 0, signature.length);
    return png;
  }

  static byte[] zipOf(String name, byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Every file kept for the codelab, in storage; the quarantine must be empty between uploads. */
  static List<Path> stored(String codelabId) throws IOException {
    Path dir = dataDir.resolve("files").resolve(codelabId);
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  static List<Path> quarantined() throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("quarantine"))) {
      return files.toList();
    }
  }

  static JsonArray listed(String codelabId, String token) {
    Http.Response list = http.get(submissions(codelabId), token);
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    return list.json().getJsonArray("submissions");
  }

  @Test
  @DisplayName("a clean file is accepted, and downloadable by its attendee and the facilitators only")
  void cleanFileDownloadableByTheRightPeople() throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    String trinity = attendee(codelabId, "trinity");
    String elsewhere = attendee(codelab(admin), "smith");
    String stranger = newFacilitator(unique("stranger"));
    byte[] content = code(50_000);

    Http.Response submitted = uploads.upload(submissions(codelabId) + "/files", neo, "Main.java", content, "Step 2");
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(201);
    JsonObject submission = submitted.json().getJsonObject("submission");
    assertThat(submission.getString("fileName")).isEqualTo("Main.java");
    assertThat(submission.getString("title")).isEqualTo("Step 2");
    assertThat(submission.getString("contentType")).isEqualTo("text/plain; charset=utf-8");
    assertThat(submission.getLong("sizeBytes")).isEqualTo(content.length);
    assertThat(submission.getString("sha256")).isEqualTo(sha256(content));
    assertThat(submission.getMap()).doesNotContainKey("storageKey");
    assertThat(stored(codelabId)).hasSize(1);
    assertThat(quarantined()).isEmpty();

    String file = submissions(codelabId) + "/" + submission.getString("id") + "/file";
    for (String allowed : List.of(neo, admin)) {
      UploadClient.Download download = uploads.download(file, allowed);
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.body().getBytes()).isEqualTo(content);
      assertThat(download.header("Content-Disposition")).startsWith("attachment; filename=\"Main.java\"");
      assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(download.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }
    assertThat(uploads.download(file, trinity).status()).as("another attendee's submission").isEqualTo(404);
    assertThat(uploads.download(file, elsewhere).status()).as("another codelab's attendee").isEqualTo(403);
    assertThat(uploads.download(file, stranger).status()).as("a facilitator of other codelabs").isEqualTo(403);
    assertThat(uploads.download(file, null).status()).isEqualTo(401);
    assertThat(listed(codelabId, trinity)).isEmpty();
    assertThat(listed(codelabId, admin)).hasSize(1);
  }

  @Test
  @DisplayName("EICAR, plain or inside a zip, is rejected, nothing is stored, and the facilitators are told")
  void eicarRejected(Vertx vertx, VertxTestContext testContext) throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    Checkpoint told = testContext.checkpoint(2);
    node.vertx.eventBus().<JsonObject>consumer(Address.FACILITATOR_EVENTS.of(codelabId), message -> {
      JsonObject event = message.body();
      if (event.getString("type").equals("upload.rejected")) {
        testContext.verify(() -> {
          assertThat(event.getJsonObject("data").getString("signature")).startsWith("Eicar-Test-Signature");
          assertThat(event.getJsonObject("data").getString("byName")).isEqualTo("neo");
        });
        told.flag();
      }
    }).completion().await();
    byte[] eicar = Clamd.EICAR.getBytes(StandardCharsets.US_ASCII);

    Http.Response plain = uploads.upload(submissions(codelabId) + "/files", neo, "eicar.txt", eicar);
    Http.Response zipped = uploads.upload(submissions(codelabId) + "/files", neo, "homework.zip",
      zipOf("src/eicar.com", eicar));

    testContext.verify(() -> {
      for (Http.Response rejected : List.of(plain, zipped)) {
        assertThat(rejected.status()).as(rejected.text()).isEqualTo(422);
        assertThat(rejected.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(rejected.json().getString("detail")).contains("Eicar-Test-Signature").contains("Nothing was kept");
      }
      assertThat(stored(codelabId)).isEmpty();
      assertThat(quarantined()).isEmpty();
      assertThat(listed(codelabId, admin)).isEmpty();
    });
  }

  @Test
  @DisplayName("a file past the size limit gets 413 and nothing is kept, whether declared or only counted")
  void oversized() throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");

    Http.Response declared = uploads.upload(submissions(codelabId) + "/files", neo, "big.txt", code(MAX_FILE * 3));
    assertThat(declared.status()).as(declared.text()).isEqualTo(413);
    assertThat(declared.header("Content-Type")).isEqualTo("application/problem+json");

    Http.Response counted = uploads.uploadChunked(submissions(codelabId) + "/files", neo, "big.txt",
      code(MAX_FILE + 1));
    assertThat(counted.status()).as(counted.text()).isEqualTo(413);

    assertThat(stored(codelabId)).isEmpty();
    assertThat(quarantined()).isEmpty();
    assertThat(listed(codelabId, neo)).isEmpty();
    Http.Response fits = uploads.upload(submissions(codelabId) + "/files", neo, "fits.txt", code(MAX_FILE));
    assertThat(fits.status()).as("exactly the limit is allowed: " + fits.text()).isEqualTo(201);
  }

  @Test
  @DisplayName("the type is decided by the bytes, against the purpose's allow-list")
  void magicBytes() throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    byte[] elf = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    Http.Response binary = uploads.upload(submissions(codelabId) + "/files", neo, "notes.txt", elf);
    assertThat(binary.status()).as(binary.text()).isEqualTo(415);
    Http.Response pdfAsImage = uploads.upload("/api/codelabs/" + codelabId + "/images", admin, "photo.png",
      "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(pdfAsImage.status()).as(pdfAsImage.text()).isEqualTo(415);
    Http.Response empty = uploads.upload(submissions(codelabId) + "/files", neo, "empty.txt", new byte[0]);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(stored(codelabId)).isEmpty();

    Http.Response pngNamedText = uploads.upload(submissions(codelabId) + "/files", neo, "screenshot.txt", png());
    assertThat(pngNamedText.status()).as(pngNamedText.text()).isEqualTo(201);
    assertThat(pngNamedText.json().getJsonObject("submission").getString("contentType")).isEqualTo("image/png");
    assertThat(quarantined()).isEmpty();
  }

  @Test
  @DisplayName("path-traversal and control-character names become plain labels; files are kept under server keys")
  void hostileNames() throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");

    Http.Response traversal = uploads.upload(submissions(codelabId) + "/files", neo, "../../../../tmp/evil.txt",
      code(100));
    Http.Response windows = uploads.upload(submissions(codelabId) + "/files", neo, "..\\..\\boot.ini", code(100));
    Http.Response control = uploads.upload(submissions(codelabId) + "/files", neo, "\u0007re\u202Eport\u0000.txt",
      code(100));

    assertThat(traversal.json().getJsonObject("submission").getString("fileName")).isEqualTo("evil.txt");
    assertThat(windows.json().getJsonObject("submission").getString("fileName")).isEqualTo("boot.ini");
    assertThat(control.json().getJsonObject("submission").getString("fileName")).isEqualTo("report.txt");
    assertThat(stored(codelabId)).hasSize(3)
      .allSatisfy(file -> assertThat(file.getFileName().toString()).matches("[0-9a-f-]{36}"));
    assertThat(Files.exists(Path.of("/tmp/evil.txt"))).isFalse();
    UploadClient.Download download = uploads.download(submissions(codelabId) + "/"
      + control.json().getJsonObject("submission").getString("id") + "/file", neo);
    assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=\"report.txt\"; "
      + "filename*=UTF-8''report.txt");
  }

  @Test
  @DisplayName("per attendee: at most the quota in bytes and the number of submissions; deleting frees room")
  void quota() throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    String trinity = attendee(codelabId, "trinity");
    String path = submissions(codelabId) + "/files";

    Http.Response first = uploads.upload(path, neo, "a.txt", code(900_000));
    Http.Response second = uploads.upload(path, neo, "b.txt", code(900_000));
    Http.Response declared = uploads.upload(path, neo, "c.txt", code(900_000));
    Http.Response undeclared = uploads.uploadChunked(path, neo, "c.txt", code(900_000));
    assertThat(List.of(first.status(), second.status(), declared.status(), undeclared.status()))
      .containsExactly(201, 201, 413, 413);
    assertThat(declared.json().getString("detail")).as("refused before reading, from the declared length")
      .contains(String.valueOf(QUOTA));
    assertThat(undeclared.json().getString("detail")).as("refused when recorded").contains(String.valueOf(QUOTA));
    assertThat(stored(codelabId)).as("the file refused when recorded is taken out of storage again").hasSize(2);
    assertThat(quarantined()).isEmpty();
    assertThat(uploads.upload(path, trinity, "c.txt", code(900_000)).status()).as("quota is per attendee").isEqualTo(201);

    Http.Response deleted = http.delete(submissions(codelabId) + "/"
      + first.json().getJsonObject("submission").getString("id"), neo);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(uploads.upload(path, neo, "c.txt", code(900_000)).status()).isEqualTo(201);
    assertThat(stored(codelabId)).hasSize(3);

    for (int i = 0; i < MAX_SUBMISSIONS - 2; i++) {
      assertThat(http.post(submissions(codelabId), neo, new JsonObject().put("url", "https://example.org/" + i))
        .status()).isEqualTo(201);
    }
    Http.Response tooMany = http.post(submissions(codelabId), neo, new JsonObject().put("url", "https://example.org/x"));
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.json().getString("detail")).contains("at most " + MAX_SUBMISSIONS);
    Http.Response tooManyFiles = uploads.upload(path, neo, "d.txt", code(10));
    assertThat(tooManyFiles.status()).isEqualTo(413);
    assertThat(tooManyFiles.json().getString("detail")).contains("at most " + MAX_SUBMISSIONS);
    assertThat(stored(codelabId)).hasSize(3);
  }

  @Test
  @DisplayName("facilitators see submissions live on their stream; an attendee deletes only its own")
  void submissionsLive(Vertx vertx, VertxTestContext testContext) throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    String trinity = attendee(codelabId, "trinity");
    Checkpoint added = testContext.checkpoint(2);
    Checkpoint deleted = testContext.checkpoint();
    node.vertx.eventBus().<JsonObject>consumer(Address.FACILITATOR_EVENTS.of(codelabId), message -> {
      switch (message.body().getString("type")) {
        case "submission.added" -> {
          testContext.verify(() -> assertThat(message.body().getJsonObject("data").getJsonObject("submission")
            .getString("nickname")).isEqualTo("neo"));
          added.flag();
        }
        case "submission.deleted" -> deleted.flag();
        default -> { }
      }
    }).completion().await();

    Http.Response file = uploads.upload(submissions(codelabId) + "/files", neo, "Main.java", code(1000));
    Http.Response link = http.post(submissions(codelabId), neo, new JsonObject()
      .put("url", "https://github.com/neo/homework").put("title", "My repository"));
    testContext.verify(() -> {
      assertThat(link.status()).isEqualTo(201);
      assertThat(link.json().getJsonObject("submission").getString("kind")).isEqualTo("link");
      assertThat(http.post(submissions(codelabId), neo, new JsonObject().put("url", "javascript:alert(1)")).status())
        .isEqualTo(400);
      String id = file.json().getJsonObject("submission").getString("id");
      assertThat(http.delete(submissions(codelabId) + "/" + id, trinity).status()).isEqualTo(404);
      assertThat(http.delete(submissions(codelabId) + "/" + id, admin).status()).isEqualTo(403);
      assertThat(http.delete(submissions(codelabId) + "/" + id, neo).status()).isEqualTo(204);
      assertThat(stored(codelabId)).isEmpty();
      assertThat(listed(codelabId, admin)).extracting(s -> ((JsonObject) s).getString("kind")).containsExactly("link");
    });
  }

  @Test
  @DisplayName("materials: facilitators add links, files and images; the codelab's attendees see and download them")
  void materials(Vertx vertx, VertxTestContext testContext) throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    String elsewhere = attendee(codelab(admin), "smith");
    Checkpoint announced = testContext.checkpoint(3);
    node.vertx.eventBus().<JsonObject>consumer(Address.PUBLIC_EVENTS.of(codelabId), message -> {
      if (message.body().getString("type").equals("material.added")) {
        announced.flag();
      }
    }).completion().await();

    Http.Response link = http.post(materials(codelabId), admin, new JsonObject()
      .put("url", "https://vertx.io/docs/").put("title", "Vert.x docs"));
    Http.Response file = uploads.upload(materials(codelabId) + "/files", admin, "slides.pdf",
      "%PDF-1.7\n%slides\n".getBytes(StandardCharsets.US_ASCII), "Slides");
    Http.Response image = uploads.upload("/api/codelabs/" + codelabId + "/images", admin, "diagram.png", png());
    Http.Response byAttendee = uploads.upload(materials(codelabId) + "/files", neo, "mine.pdf",
      "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));

    testContext.verify(() -> {
      assertThat(List.of(link.status(), file.status(), image.status())).containsExactly(201, 201, 201);
      assertThat(byAttendee.status()).isEqualTo(403);
      JsonArray listed = http.get(materials(codelabId), neo).json().getJsonArray("materials");
      assertThat(listed).extracting(m -> ((JsonObject) m).getString("kind")).containsExactly("link", "file", "image");

      String fileUrl = materials(codelabId) + "/" + file.json().getJsonObject("material").getString("id") + "/file";
      UploadClient.Download pdf = uploads.download(fileUrl, neo);
      assertThat(pdf.status()).isEqualTo(200);
      assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
      assertThat(pdf.header("Content-Disposition")).startsWith("attachment;");
      assertThat(uploads.download(fileUrl, elsewhere).status()).isEqualTo(403);

      String imageUrl = materials(codelabId) + "/" + image.json().getJsonObject("material").getString("id") + "/file";
      UploadClient.Download shown = uploads.download(imageUrl, neo);
      assertThat(shown.header("Content-Type")).isEqualTo("image/png");
      assertThat(shown.header("Content-Disposition")).startsWith("inline;");
      assertThat(shown.header("X-Content-Type-Options")).isEqualTo("nosniff");

      String id = file.json().getJsonObject("material").getString("id");
      assertThat(http.delete(materials(codelabId) + "/" + id, neo).status()).isEqualTo(403);
      assertThat(http.delete(materials(codelabId) + "/" + id, admin).status()).isEqualTo(204);
      assertThat(uploads.download(fileUrl, neo).status()).isEqualTo(404);
      assertThat(stored(codelabId)).hasSize(1);
    });
  }

  @Test
  @DisplayName("an upload is authenticated before its body is read: no token, or another codelab, never reaches quarantine")
  void authenticatedFirst() throws Exception {
    String codelabId = codelab(admin);
    String elsewhere = attendee(codelab(admin), "smith");
    Http.Response anonymous = uploads.upload(submissions(codelabId) + "/files", null, "a.txt", code(10));
    Http.Response foreign = uploads.upload(submissions(codelabId) + "/files", elsewhere, "a.txt", code(10));
    Http.Response stranger = uploads.upload(materials(codelabId) + "/files", newFacilitator(unique("other")), "a.txt",
      code(10));
    assertThat(List.of(anonymous.status(), foreign.status(), stranger.status())).containsExactly(401, 403, 403);
    assertThat(quarantined()).isEmpty();
    assertThat(stored(codelabId)).isEmpty();
  }

  @Test
  @DisplayName("deleting a codelab deletes its stored submissions and materials")
  void codelabDeleted() throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    assertThat(uploads.upload(submissions(codelabId) + "/files", neo, "Main.java", code(100)).status()).isEqualTo(201);
    assertThat(uploads.upload(materials(codelabId) + "/files", admin, "notes.txt", code(100)).status()).isEqualTo(201);
    String kept = codelab(admin);
    assertThat(uploads.upload(materials(kept) + "/files", admin, "notes.txt", code(100)).status()).isEqualTo(201);
    assertThat(stored(codelabId)).hasSize(2);

    assertThat(http.delete("/api/codelabs/" + codelabId, admin).status()).isEqualTo(204);
    assertThat(stored(codelabId)).isEmpty();
    assertThat(stored(kept)).hasSize(1);
  }

  @Test
  @DisplayName("an upload left unchecked in the quarantine by a crash is deleted when the node starts")
  void quarantineEmptiedAtStart() {
    assertThat(leftByACrash).doesNotExist();
  }

  @Test
  @DisplayName("readiness says which scanner is configured and that it answers")
  void readiness() {
    Http.Response ready = http.get("/ready", admin);
    assertThat(ready.status()).isEqualTo(200);
    JsonObject scanner = ready.json().getJsonObject("uploads").getJsonObject("scanner");
    assertThat(scanner.getBoolean("configured")).isTrue();
    assertThat(scanner.getBoolean("reachable")).isTrue();
    assertThat(scanner.getString("address")).contains(String.valueOf(clamd.port));
    assertThat(ready.json().getJsonObject("uploads").getString("storage")).startsWith("local directory");
  }
}

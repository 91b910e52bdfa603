package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient.Sockets;
import io.codelabs.bus.Address;
import io.codelabs.credentials.Verifiers;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.uploads.UploadClient;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.jose4j.jwt.JwtClaims;

@DisplayName("Instance backup and restore")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackupRestoreTest {
  private static final int KEEP = 2;

  @TempDir
  static Path root;
  private static Path backupDir;
  private static Node node;
  private static Http http;
  private static String admin;
  private static String adminPassword;

  @BeforeAll
  static void startNode() {
    backupDir = root.resolve("backups");
    node = TestNode.start(root.resolve("data"), new JsonObject()
      .put(PersistenceVerticle.BACKUP_DIR, backupDir.toString())
      .put(PersistenceVerticle.BACKUP_KEEP, KEEP)
      .put(PersistenceVerticle.BACKUP_INTERVAL_SECONDS, 0));
    http = new Http(node.vertx, node.httpPort);
    adminPassword = node.createdPassword;
    admin = http.login(Node.FIRST_FACILITATOR, adminPassword);
  }

  @AfterAll
  static void stopNode() {
    http.close();
    node.stop().await();
  }

  @Test
  @DisplayName("a backup taken while writes run holds every write acknowledged before it started, and its database is sound")
  void backupWhileWritesRun() throws Exception {
    String codelabId = codelab("Backed up while busy");
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Http writerHttp = new Http(node.vertx, node.httpPort);
    Thread writes = new Thread(() -> {
      for (int i = 0; writing.get(); i++) {
        String text = "message " + i;
        if (writerHttp.post("/api/codelabs/" + codelabId + "/chat", admin, new JsonObject().put("text", text))
          .status() == 201) {
          acknowledged.add(text);
        }
      }
    }, "backup-test-writes");
    writes.start();
    try {
      while (acknowledged.size() < 50) {
        pause(10);
      }
      List<String> beforeBackup = List.copyOf(acknowledged);
      Http.Response started = http.post("/api/backups", admin, new JsonObject());
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      JsonObject backup = completed(started.json().getString("id"));

      Path database = Path.of(backup.getString("path")).resolve("codelabs.db");
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
           Statement statement = connection.createStatement()) {
        assertThat(single(statement, "PRAGMA integrity_check")).isEqualTo("ok");
        List<String> texts = column(statement, "SELECT text FROM chat_messages WHERE codelab_id = '" + codelabId + "'");
        assertThat(texts).containsAll(beforeBackup);
        assertThat(column(statement, "SELECT actor_id FROM audit_log WHERE action = 'instance.backup' AND detail LIKE '%"
          + backup.getString("id") + "%'")).hasSize(1);
      }
      assertThat(backup.getString("epoch")).isEqualTo(epoch(codelabId));
    } finally {
      writing.set(false);
      writes.join();
      writerHttp.close();
    }
  }

  @Test
  @DisplayName("restored into an empty data dir, a node serves the same codelabs, files, quizzes and certificates and tells old-epoch clients to reload")
  void restoreServesTheSameCodelabs() throws Exception {
    String codelabId = codelab("Restored lab");
    JsonObject joined = http.join(codelabId, "neo", "code-neo");
    http.post("/api/codelabs/" + codelabId + "/chat", admin, new JsonObject().put("text", "before the backup"));
    UploadClient uploads = new UploadClient(node.vertx, node.httpPort);
    byte[] slides = "%PDF-1.7\n%restored slides\n".getBytes(StandardCharsets.US_ASCII);
    Http.Response material = uploads.upload("/api/codelabs/" + codelabId + "/materials/files", admin, "slides.pdf",
      slides, "Slides");
    assertThat(material.status()).as(material.text()).isEqualTo(201);
    String fileUrl = "/api/codelabs/" + codelabId + "/materials/" + material.json().getJsonObject("material")
      .getString("id") + "/file";
    JsonObject original = http.get("/api/codelabs/" + codelabId, admin).json();
    QuizFixtures.putQuiz(http, admin, codelabId, QuizFixtures.everyKind(2, "best", "after-submit").put("step", 1));
    JsonObject quizzes = http.get("/api/codelabs/" + codelabId + "/quizzes", admin).json();
    for (int step = 0; step < 2; step++) {
      assertThat(http.post("/api/codelabs/" + codelabId + "/progress", joined.getString("token"), new JsonObject()
        .put("step", step).put("completed", true)).status()).isEqualTo(200);
    }
    Http.Response issued = http.post("/api/codelabs/" + codelabId + "/certificate", joined.getString("token"),
      new JsonObject().put("name", "Neo Anderson"));
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    String certificateId = issued.json().getJsonObject("certificate").getString("id");
    JsonObject verified = http.get("/api/certificates/" + certificateId, null).json();
    String jwks = http.get("/.well-known/jwks.json", null).text();
    String oldEpoch = epoch(codelabId);
    JsonObject backup = backUp();

    Path restoredDir = root.resolve("restored-" + codelabId);
    assertThat(Main.restore(new String[] {"--from", backup.getString("path"), "--data-dir", restoredDir.toString()}))
      .isZero();

    Node restored = TestNode.start(restoredDir, new JsonObject().put(PersistenceVerticle.BACKUP_INTERVAL_SECONDS, 0));
    Http restoredHttp = new Http(restored.vertx, restored.httpPort);
    Sockets sockets = BridgeClient.client(restored.vertx);
    try {
      assertThat(restored.createdPassword).as("the accounts came back too").isNull();
      String restoredAdmin = restoredHttp.login(Node.FIRST_FACILITATOR, adminPassword);
      JsonObject served = restoredHttp.get("/api/codelabs/" + codelabId, restoredAdmin).json();
      assertThat(served.getString("title")).isEqualTo(original.getString("title"));
      assertThat(served.getJsonArray("steps")).isEqualTo(original.getJsonArray("steps"));
      UploadClient restoredUploads = new UploadClient(restored.vertx, restored.httpPort);
      UploadClient.Download download = restoredUploads.download(fileUrl, restoredAdmin);
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.body().getBytes()).isEqualTo(slides);
      assertThat(restoredHttp.get("/api/codelabs/" + codelabId + "/quizzes", restoredAdmin).json()).isEqualTo(quizzes);
      Http.Response restoredVerify = restoredHttp.get("/api/certificates/" + certificateId, null);
      assertThat(restoredVerify.status()).isEqualTo(200);
      assertThat(restoredVerify.json()).isEqualTo(verified);
      assertThat(restoredVerify.json().getString("status")).isEqualTo("valid");
      String restoredJwks = restoredHttp.get("/.well-known/jwks.json", null).text();
      assertThat(new JsonObject(restoredJwks)).as("the instance key came back with the database")
        .isEqualTo(new JsonObject(jwks));
      Http.Response credential = restoredHttp.get("/api/certificates/" + certificateId + "/credential", null);
      assertThat(credential.status()).isEqualTo(200);
      JwtClaims claims = Verifiers.claims(credential.text(), restoredJwks,
        "http://127.0.0.1:" + restored.httpPort + "/api/issuer");
      assertThat(new JsonObject(claims.getRawJson()).getJsonObject("credentialSubject").getJsonArray("identifier")
        .getJsonObject(0).getString("identityHash")).isEqualTo("Neo Anderson");

      BridgeClient attendee = BridgeClient.connect(sockets, restored.bridgePort, joined.getString("token")).await();
      JsonObject replay = attendee.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId)
        .put("after", 1).put("epoch", oldEpoch)).await().getJsonObject("body");
      assertThat(replay.getBoolean("reset")).isTrue();
      assertThat(replay.getString("epoch")).isNotEqualTo(oldEpoch);
      attendee.close().await();
    } finally {
      restoredHttp.close();
      restored.stop().await();
    }
  }

  @Test
  @DisplayName("restore refuses a tampered file, a newer format and a target that is not empty, and writes nothing")
  void restoreRefuses() throws Exception {
    codelab("Refused lab");
    Path backup = Path.of(backUp()
      .getString("path"));

    Path tampered = copyOf(backup, "tampered");
    byte[] database = Files.readAllBytes(tampered.resolve("codelabs.db"));
    database[database.length / 2] ^= 1;
    Files.write(tampered.resolve("codelabs.db"), database);
    Path tamperedTarget = root.resolve("target-tampered");
    assertThat(restore(tampered, tamperedTarget)).isEqualTo(2);
    assertThat(tamperedTarget).doesNotExist();

    Path newer = copyOf(backup, "newer");
    JsonObject manifest = new JsonObject(Files.readString(newer.resolve("manifest.json")));
    Files.writeString(newer.resolve("manifest.json"), manifest.put("format", manifest.getInteger("format") + 1).encode());
    Path newerTarget = root.resolve("target-newer");
    assertThat(restore(newer, newerTarget)).isEqualTo(2);
    assertThat(newerTarget).doesNotExist();

    Path occupied = Files.createDirectories(root.resolve("target-occupied"));
    Files.writeString(occupied.resolve("codelabs.db"), "a live database");
    assertThat(restore(backup, occupied)).isEqualTo(2);
    assertThat(Files.readString(occupied.resolve("codelabs.db"))).isEqualTo("a live database");
    try (Stream<Path> files = Files.list(occupied)) {
      assertThat(files).hasSize(1);
    }

    Path accepted = root.resolve("target-accepted");
    assertThat(restore(backup, accepted)).as("the untouched backup restores").isZero();
  }

  @Test
  @DisplayName("only the newest backups are kept, and what a crash left half-written is removed")
  void retention() throws Exception {
    Path interrupted = Files.createDirectories(backupDir.resolve("backup-20260101T000000000Z.partial"));
    Files.writeString(interrupted.resolve("codelabs.db"), "half a copy");
    assertThat(backups()).contains(new JsonObject().put("id", "backup-20260101T000000000Z").put("status", "incomplete"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < KEEP + 1; i++) {
      ids.add(backUp().getString("id"));
    }
    List<String> complete = backups().stream().filter(b -> "complete".equals(b.getString("status")))
      .map(b -> b.getString("id")).toList();
    assertThat(complete).containsExactly(ids.get(2), ids.get(1));
    assertThat(backupDir.resolve(ids.get(0))).doesNotExist();
    assertThat(interrupted).doesNotExist();
  }

  @Test
  @DisplayName("only the instance admin starts and lists backups")
  void adminOnly() {
    String facilitator = facilitator();
    assertThat(http.post("/api/backups", facilitator, new JsonObject()).status()).isEqualTo(403);
    assertThat(http.get("/api/backups", facilitator).status()).isEqualTo(403);
    assertThat(http.post("/api/backups", null, new JsonObject()).status()).isEqualTo(401);
    assertThat(http.get("/api/backups", null).status()).isEqualTo(401);
  }

  private static int restore(Path from, Path target) {
    return Main.restore(new String[] {"--from", from.toString(), "--data-dir", target.toString()});
  }

  private static String codelab(String title) {
    return http.createCodelab(admin, new JsonObject().put("title", title).put("steps", new JsonArray()
      .add(new JsonObject().put("title", "Setup").put("markdown", "Install **Java 17**.").put("durationMinutes", 5))
      .add(new JsonObject().put("title", "Ship").put("markdown", "Done.").put("durationMinutes", 10))));
  }

  private static String facilitator() {
    String username = "kim" + System.nanoTime();
    assertThat(http.post("/api/facilitators", admin, new JsonObject().put("username", username)
      .put("password", "correct horse battery")).status()).isEqualTo(201);
    return http.login(username, "correct horse battery");
  }

  private static String epoch(String codelabId) {
    return http.get("/api/codelabs/" + codelabId + "/events?after=0", admin).json().getString("epoch");
  }

  private static List<JsonObject> backups() {
    return BackupListing.backups(http, admin);
  }

  private static JsonObject completed(String id) {
    return BackupListing.completed(node.vertx, http, admin, id);
  }

  private static JsonObject backUp() {
    return BackupListing.backUp(node.vertx, http, admin);
  }

  private static void pause(long millis) {
    Promise<Void> later = Promise.promise();
    node.vertx.setTimer(millis, timer -> later.complete());
    later.future().await();
  }

  private static Path copyOf(Path backup, String name) throws Exception {
    Path copy = root.resolve(name);
    try (Stream<Path> files = Files.walk(backup)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(backup.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  private static String single(Statement statement, String sql) throws Exception {
    List<String> values = column(statement, sql);
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static List<String> column(Statement statement, String sql) throws Exception {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}

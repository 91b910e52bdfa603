package io.codelabs.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.RawConnection;
import io.codelabs.TestNode;
import io.codelabs.connections.ConnectionLimits;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Uploads that never finish give back their slot and their quarantine file; malformed ones get a 4xx. */
@DisplayName("Cut-off and malformed uploads")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CutOffUploadsTest extends NodeTestBase {
  static final long IDLE_MS = 3_000;
  private static UploadClient uploads;
  private static NetClient raw;

  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir, new JsonObject().put("http." + ConnectionLimits.IDLE_TIMEOUT_MS, IDLE_MS));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    uploads = new UploadClient(node.vertx, node.httpPort);
    raw = node.vertx.createNetClient();
  }

  static List<Path> quarantined() throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("quarantine"))) {
      return files.toList();
    }
  }

  /** Headers, the form's start and part of the file, of a body that promises much more. */
  static Future<RawConnection> cutOff(String path, String token) {
    Buffer form = UploadClient.form("Main.java", new byte[200_000], null);
    Buffer part = form.getBuffer(0, 4_000);
    return RawConnection.open(raw, node.httpPort).map(connection -> connection.write(
      "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n"
        + "Content-Type: multipart/form-data; boundary=codelabs-test-boundary-7d41\r\n"
        + "Content-Length: " + form.length() + "\r\n\r\n" + part));
  }

  @Test
  @DisplayName("20 cut-off uploads (10 dropped, 10 stalled) free their slots and files: another attendee's upload gets 201")
  void cutOffUploadsReleaseTheirSlots() throws Exception {
    String codelabId = codelab(admin);
    String mallory = attendee(codelabId, unique("mallory"));
    String alice = attendee(codelabId, unique("alice"));
    String path = "/api/codelabs/" + codelabId + "/submissions/files";
    List<RawConnection> stalled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RawConnection connection = cutOff(path, mallory).await();
      if (i % 2 == 0) {
        connection.close().await();
      } else {
        stalled.add(connection);
      }
    }
    for (RawConnection connection : stalled) {
      connection.closed().toCompletionStage().toCompletableFuture().get(IDLE_MS + 20_000, TimeUnit.MILLISECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!quarantined().isEmpty() && System.nanoTime() < deadline) {
      Future.<Long>future(promise -> node.vertx.setTimer(50, promise::complete)).await();
    }
    assertThat(quarantined()).isEmpty();
    Http.Response accepted = uploads.upload(path, alice, "Main.java", "class Main {}\n".getBytes());
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(201);
    assertThat(quarantined()).isEmpty();
  }

  @Test
  @DisplayName("A JSON body on an upload route gets 415 problem+json")
  void jsonBodyGets415() {
    String codelabId = codelab(admin);
    Http.Response answer = http.post("/api/codelabs/" + codelabId + "/materials/files", admin,
      new JsonObject().put("title", "x"));
    assertThat(answer.status()).as(answer.text()).isEqualTo(415);
    assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName("A 10,000-character title or file name, an oversized field or 1,000 fields get 400 problem+json")
  void malformedFormsGet400() {
    String codelabId = codelab(admin);
    String path = "/api/codelabs/" + codelabId + "/materials/files";
    Buffer manyFields = Buffer.buffer();
    for (int i = 0; i < 1_000; i++) {
      manyFields.appendString("--codelabs-test-boundary-7d41\r\nContent-Disposition: form-data; name=\"f" + i
        + "\"\r\n\r\nx\r\n");
    }
    manyFields.appendBuffer(UploadClient.form("notes.txt", "hello".getBytes(), null));
    List<Buffer> bodies = List.of(
      UploadClient.form("notes.txt", "hello".getBytes(), "t".repeat(10_000)),
      UploadClient.form("n".repeat(10_000) + ".txt", "hello".getBytes(), null),
      UploadClient.form("notes.txt", "hello".getBytes(), "t".repeat(300)),
      manyFields);
    for (Buffer body : bodies) {
      Http.Response answer = uploads.send(path, admin, body, false);
      assertThat(answer.status()).as(answer.text()).isEqualTo(400);
      assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
    }
    assertThat(http.get("/api/codelabs/" + codelabId + "/materials", admin).json().getJsonArray("materials")).isEmpty();
  }
}

package io.codelabs.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of 10 MB uploads end to end (HTTP in, quarantine, type check, SHA-256, scan, local
 * storage, record, answer), with and without clamd. Prints a Markdown table; not part of the test run.
 */
@Tag("benchmark")
@DisplayName("Upload throughput")
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class UploadBenchmark {
  private static final int FILE_BYTES = 10_000_000;
  private static final int WARM_UP = 3;
  private static final int MEASURED = 10;
  private static final int CONCURRENT = 4;
  /** Headers, data descriptor and central directory of a one-entry stored zip stay well below this. */
  private static final int ZIP_FRAMING_BYTES = 2_000;

  @Test
  @DisplayName("10 MB uploads, MB/s with and without scanning")
  void throughput(Vertx vertx, @TempDir Path clamdDir, @TempDir Path scannedData, @TempDir Path plainData)
    throws IOException {
    Clamd clamd = Clamd.start(vertx, clamdDir);
    List<String> rows = new ArrayList<>();
    try {
      for (boolean scanned : new boolean[] {false, true}) {
        JsonObject config = (scanned ? clamd.tcpConfig() : new JsonObject())
          .put(BridgeVerticle.PORT, 0)
          .put(UploadLimits.MAX_FILE_BYTES, FILE_BYTES)
          .put(UploadLimits.MAX_ATTENDEE_BYTES, Integer.MAX_VALUE)
          .put(UploadLimits.MAX_SUBMISSIONS, 10_000);
        Node node = TestNode.start(scanned ? scannedData : plainData, config);
        try {
          for (String kind : List.of("source text", "zip of random bytes")) {
            byte[] content = kind.equals("source text") ? UploadsTest.code(FILE_BYTES) : randomZip();
            rows.add(measure(vertx, node, scanned, kind, content));
          }
        } finally {
          node.stop().await();
        }
      }
    } finally {
      clamd.close();
    }
    System.out.println("\n| scanning | content | sequential MB/s | " + CONCURRENT + " at once MB/s |\n|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String measure(Vertx vertx, Node node, boolean scanned, String kind, byte[] content) {
    Http http = new Http(node.vertx, node.httpPort);
    UploadClient client = new UploadClient(vertx, node.httpPort);
    String admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Bench"));
    String token = http.join(codelabId, "bench", "code-bench").getString("token");
    String path = "/api/codelabs/" + codelabId + "/submissions/files";
    Buffer form = UploadClient.form("bench.bin", content, null);
    for (int i = 0; i < WARM_UP; i++) {
      Http.Response response = client.send(path, token, form, false);
      assertThat(response.status()).as(response.text()).isEqualTo(201);
    }
    long started = System.nanoTime();
    for (int i = 0; i < MEASURED; i++) {
      Http.Response response = client.send(path, token, form, false);
      assertThat(response.status()).as(response.text()).isEqualTo(201);
    }
    double sequential = megabytesPerSecond(MEASURED, content.length, System.nanoTime() - started);
    started = System.nanoTime();
    for (int round = 0; round < MEASURED / CONCURRENT + 1; round++) {
      List<Future<Http.Response>> batch = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        batch.add(client.sendAsync(path, token, form, false));
      }
      Future.all(batch).await();
      batch.forEach(upload -> assertThat(upload.result().status()).isEqualTo(201));
    }
    double concurrent = megabytesPerSecond((MEASURED / CONCURRENT + 1) * CONCURRENT, content.length,
      System.nanoTime() - started);
    client.close();
    http.close();
    return String.format("| %s | %s | %.1f | %.1f |", scanned ? "clamd" : "none", kind, sequential, concurrent);
  }

  private static double megabytesPerSecond(int uploads, int bytes, long nanos) {
    return uploads * (double) bytes / 1e6 / (nanos / 1e9);
  }

  /** Stored, not deflated, so the zip is about as large as its random content and clamd unpacks all of it. */
  private static byte[] randomZip() throws IOException {
    byte[] random = new byte[FILE_BYTES - ZIP_FRAMING_BYTES];
    new Random(42).nextBytes(random);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(0);
      zip.putNextEntry(new ZipEntry("data.bin"));
      zip.write(random);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }
}

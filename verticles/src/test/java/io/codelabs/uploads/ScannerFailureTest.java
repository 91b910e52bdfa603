package io.codelabs.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeConfig;
import io.codelabs.TestNode;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A configured scanner that is gone, silent or erring rejects every upload: it fails closed. */
@DisplayName("When the virus scanner fails")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScannerFailureTest {
  private static final byte[] CLEAN = "print('hello')\n".getBytes(StandardCharsets.UTF_8);

  private record Running(Node node, Http http, UploadClient uploads, String admin, String codelabId, String attendee) {
    Http.Response submit(byte[] content) {
      return uploads.upload("/api/codelabs/" + codelabId + "/submissions/files", attendee, "work.py", content);
    }

    JsonArray submissions() {
      return http.get("/api/codelabs/" + codelabId + "/submissions", attendee).json().getJsonArray("submissions");
    }

    void stop() {
      node.stop().await();
    }
  }

  private static Running start(Path dataDir, JsonObject scanner) {
    Node node = TestNode.start(dataDir, scanner.put(BridgeVerticle.PORT, 0));
    Http http = new Http(node.vertx, node.httpPort);
    String admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Scanning"));
    String attendee = http.join(codelabId, "neo", "code-neo").getString("token");
    return new Running(node, http, new UploadClient(node.vertx, node.httpPort), admin, codelabId, attendee);
  }

  private static long keptFiles(Path dataDir) throws IOException {
    long count = 0;
    for (String dir : new String[] {"files", "quarantine"}) {
      if (Files.exists(dataDir.resolve(dir))) {
        try (Stream<Path> files = Files.walk(dataDir.resolve(dir))) {
          count += files.filter(Files::isRegularFile).count();
        }
      }
    }
    return count;
  }

  @Test
  @DisplayName("clamd over its unix socket: clean accepted, EICAR rejected; once clamd is killed, uploads are rejected")
  void clamdDown(Vertx vertx, @TempDir Path clamdDir, @TempDir Path dataDir) throws Exception {
    Clamd clamd = Clamd.start(vertx, clamdDir);
    Running running = start(dataDir, clamd.socketConfig());
    try {
      assertThat(running.submit(CLEAN).status()).isEqualTo(201);
      assertThat(running.submit(Clamd.EICAR.getBytes(StandardCharsets.US_ASCII)).status()).isEqualTo(422);
      assertThat(keptFiles(dataDir)).isEqualTo(1);

      clamd.close();
      Http.Response down = running.submit(CLEAN);
      assertThat(down.status()).as(down.text()).isEqualTo(503);
      assertThat(down.json().getString("detail")).contains("not reachable").contains("nothing was kept");
      assertThat(keptFiles(dataDir)).isEqualTo(1);
      assertThat(running.submissions()).hasSize(1);
      JsonObject scanner = running.http().get("/ready", running.admin()).json().getJsonObject("uploads").getJsonObject("scanner");
      assertThat(scanner.getBoolean("configured")).isTrue();
      assertThat(scanner.getBoolean("reachable")).isFalse();
    } finally {
      clamd.close();
      running.stop();
    }
  }

  @Test
  @DisplayName("a node without the uploads role answers 503 to an upload and keeps nothing")
  void noUploadsVerticle(@TempDir Path dataDir) throws Exception {
    Running running = start(dataDir, new JsonObject().put(NodeConfig.ROLES, "api,bridge,persistence"));
    try {
      Http.Response refused = running.submit(CLEAN);
      assertThat(refused.status()).as(refused.text()).isEqualTo(503);
      assertThat(keptFiles(dataDir)).isZero();
      assertThat(running.http().get("/ready", running.admin()).json().getJsonObject("uploads").getBoolean("available")).isFalse();
    } finally {
      running.stop();
    }
  }

  @ParameterizedTest(name = "clamd answering \"{0}\" gives {1}")
  @CsvSource(delimiter = '|', value = {
    "|503",
    "INSTREAM size limit exceeded. ERROR|413",
    "stream: lstat() failed: No such file. ERROR|422",
    "stream: OKAY|422"})
  @DisplayName("a silent scanner times out, and any answer but an explicit clean one rejects the file")
  void notExplicitlyClean(String answer, int status, Vertx vertx, @TempDir Path dataDir) throws Exception {
    NetServer scanner = vertx.createNetServer().connectHandler(socket -> {
      if (answer != null) {
        socket.handler(data -> socket.write(Buffer.buffer(answer + "\0")));
      }
    });
    int port = scanner.listen(0, "127.0.0.1").await().actualPort();
    Running running = start(dataDir, new JsonObject().put(UploadVerticle.CLAMD_HOST, "127.0.0.1")
      .put(UploadVerticle.CLAMD_PORT, port).put(UploadLimits.SCAN_TIMEOUT_MS, 500));
    try {
      Http.Response rejected = running.submit(CLEAN);
      assertThat(rejected.status()).as(rejected.text()).isEqualTo(status);
      assertThat(rejected.json().getString("detail")).containsIgnoringCase("nothing was kept");
      assertThat(keptFiles(dataDir)).isZero();
      assertThat(running.submissions()).isEmpty();
    } finally {
      running.stop();
      scanner.close().await();
    }
  }
}

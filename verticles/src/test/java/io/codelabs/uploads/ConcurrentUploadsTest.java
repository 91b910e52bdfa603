package io.codelabs.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@DisplayName("Concurrent uploads")
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrentUploadsTest {
  private static final int UPLOADS = 8;
  private static final int FILE_BYTES = 4 << 20;
  /** Vert.x reports any event-loop task that runs longer than this. */
  private static final long MAX_EVENT_LOOP_TASK_MS = 100;
  private static final long HEALTH_EVERY_MS = 10;
  private static final long MAX_HEALTH_MS = 500;

  @Test
  @DisplayName("eight 4 MiB uploads, scanned at once, never block an event loop: /health keeps answering promptly")
  void doNotBlockTheEventLoop(Vertx vertx, @TempDir Path clamdDir, @TempDir Path dataDir) {
    ListAppender<ILoggingEvent> blocked = new ListAppender<>();
    blocked.start();
    ((Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker")).addAppender(blocked);
    Vertx nodeVertx = Vertx.vertx(new VertxOptions()
      .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_TASK_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setWarningExceptionTime(MAX_EVENT_LOOP_TASK_MS).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    Clamd clamd = Clamd.start(vertx, clamdDir);
    Node node = Node.deploy(nodeVertx, TestNode.config(dataDir, clamd.tcpConfig()
      .put(BridgeVerticle.PORT, 0)
      .put(UploadLimits.MAX_FILE_BYTES, FILE_BYTES)
      .put(UploadLimits.MAX_IN_FLIGHT, UPLOADS))).await();
    UploadClient client = new UploadClient(vertx, node.httpPort);
    try {
      Http http = new Http(vertx, node.httpPort);
      String admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
      String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Load"));
      List<String> attendees = new ArrayList<>();
      for (int i = 0; i < UPLOADS; i++) {
        attendees.add(http.join(codelabId, "a" + i, "code-a" + i).getString("token"));
      }
      byte[] content = UploadsTest.code(FILE_BYTES);
      // Start-up and first-use class loading also trip the checker; only the uploads themselves are judged.
      assertThat(client.send("/api/codelabs/" + codelabId + "/submissions/files", attendees.get(0),
        UploadClient.form("warm-up.txt", UploadsTest.code(1000), null), false).status()).isEqualTo(201);
      blocked.list.clear();

      AtomicLong slowestHealthMs = new AtomicLong();
      AtomicLong healthChecks = new AtomicLong();
      long probe = vertx.setPeriodic(HEALTH_EVERY_MS, id -> {
        long sent = System.nanoTime();
        client.get("/health").onSuccess(status -> {
          healthChecks.incrementAndGet();
          slowestHealthMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent), Math::max);
        });
      });
      List<Future<Http.Response>> uploads = attendees.stream().map(token -> client.sendAsync(
        "/api/codelabs/" + codelabId + "/submissions/files", token, UploadClient.form("big.txt", content, null), false))
        .toList();
      Future.all(uploads).await();
      vertx.cancelTimer(probe);

      assertThat(uploads).allSatisfy(upload -> assertThat(upload.result().status()).isEqualTo(201));
      assertThat(healthChecks.get()).as("health was probed throughout").isGreaterThan(10);
      assertThat(slowestHealthMs.get()).as("slowest /health while uploading, ms").isLessThan(MAX_HEALTH_MS);
      assertThat(blocked.list).as("event-loop tasks over " + MAX_EVENT_LOOP_TASK_MS + " ms")
        .noneMatch(event -> event.getFormattedMessage().contains("eventloop"));
    } finally {
      client.close();
      clamd.close();
      node.stop().await();
    }
  }
}

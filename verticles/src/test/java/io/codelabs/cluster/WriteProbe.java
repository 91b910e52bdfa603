package io.codelabs.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A facilitator's script posting an announcement over REST every few milliseconds, each without
 * waiting for the one before: what a writer switch answers while it happens, and how fast. At the
 * end every write that did not succeed is sent again with its eventId until it does.
 */
final class WriteProbe {
  /** Status 0 is no HTTP answer at all; {@code failure} then says why. */
  record Attempt(String eventId, int status, long millis, String failure) {
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String token;
  private final String path;
  private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
  final Map<String, Long> acked = new ConcurrentHashMap<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private long timer = -1;
  private int next;

  WriteProbe(Vertx vertx, int apiPort, String token, String codelabId) {
    this.vertx = vertx;
    // Like any client that reuses connections, it drops an idle one before the server's 30 s idle timeout does,
    // so a request is never written to a connection the server is closing.
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(apiPort)
      .setKeepAliveTimeout(10), new PoolOptions().setHttp1MaxSize(64));
    this.token = token;
    this.path = "/api/codelabs/" + codelabId + "/announcements";
  }

  void start(long intervalMs) {
    timer = vertx.setPeriodic(intervalMs, id -> post("probe-write-" + next++));
  }

  /** Stops firing, then resends every write without a success until each has one. */
  void finish() {
    vertx.cancelTimer(timer);
    List<String> unacknowledged;
    do {
      pause();
      Map<String, Boolean> answered = attempts().stream()
        .collect(Collectors.toMap(Attempt::eventId, attempt -> attempt.status / 100 == 2, Boolean::logicalOr));
      unacknowledged = answered.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
      unacknowledged.forEach(eventId -> post(eventId).await());
    } while (!unacknowledged.isEmpty() || outstanding.get() > 0);
  }

  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  private Future<Void> post(String eventId) {
    long started = System.nanoTime();
    outstanding.incrementAndGet();
    return client.post(path).bearerTokenAuthentication(token).timeout(15_000)
      .sendJsonObject(new JsonObject().put("eventId", eventId).put("text", "probe " + eventId))
      .transform(response -> {
        int status = response.succeeded() ? response.result().statusCode() : 0;
        attempts.add(new Attempt(eventId, status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          response.succeeded() ? null : String.valueOf(response.cause())));
        if (status / 100 == 2) {
          acked.put(eventId, response.result().bodyAsJsonObject().getLong("seq"));
        }
        outstanding.decrementAndGet();
        return Future.succeededFuture();
      });
  }

  private void pause() {
    Promise<Void> pause = Promise.promise();
    vertx.setTimer(100, id -> pause.complete());
    pause.future().await();
  }
}

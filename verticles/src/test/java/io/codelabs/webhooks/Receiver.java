package io.codelabs.webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A webhook endpoint on a free port that answers the first requests with an error status, then 204. */
public final class Receiver {
  /** {@code connectionSeenNanos}: when the first request on the same connection arrived. */
  public record Request(String id, long timestamp, String signature, String body, long receivedNanos,
                        long receivedAtMillis, int answered, long connectionSeenNanos) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public long seq() {
      return json().getJsonObject("data").getLong("seq");
    }

    public String type() {
      return json().getString("type");
    }

    public boolean accepted() {
      return answered >= 200 && answered < 300;
    }
  }

  private record Waiter(Predicate<List<Request>> condition, CompletableFuture<List<Request>> done) {
  }

  private final List<Request> requests = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final HttpServer server;
  private int toFail;
  private final int failStatus;
  private volatile long answerAfterMs;
  private final Map<HttpConnection, Long> connectionsSeen = new ConcurrentHashMap<>();

  private Receiver(Vertx vertx, int failFirst, int failStatus, long answerAfterMs) {
    this.toFail = failFirst;
    this.failStatus = failStatus;
    this.answerAfterMs = answerAfterMs;
    this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      long receivedNanos = System.nanoTime();
      long receivedAtMillis = System.currentTimeMillis();
      long connectionSeenNanos = connectionsSeen.computeIfAbsent(request.connection(), connection -> {
        connection.closeHandler(closed -> connectionsSeen.remove(connection));
        return receivedNanos;
      });
      int status = answer();
      Runnable respond = () -> {
        record(new Request(request.getHeader("webhook-id"), Long.parseLong(request.getHeader("webhook-timestamp")),
          request.getHeader("webhook-signature"), body.toString(), receivedNanos, receivedAtMillis, status,
          connectionSeenNanos));
        request.response().setStatusCode(status).end();
      };
      long delayMs = this.answerAfterMs;
      if (delayMs > 0) {
        vertx.setTimer(delayMs, id -> respond.run());
      } else {
        respond.run();
      }
    }));
  }

  /** Answers each request only after the given time, so that a stream of deliveries takes a while. */
  public static Receiver start(Vertx vertx, int failFirst, int failStatus, long answerAfterMs) {
    Receiver receiver = new Receiver(vertx, failFirst, failStatus, answerAfterMs);
    receiver.server.listen(0, "127.0.0.1").await();
    return receiver;
  }

  public static Receiver start(Vertx vertx, int failFirst, int failStatus) {
    return start(vertx, failFirst, failStatus, 0);
  }

  public static Receiver start(Vertx vertx) {
    return start(vertx, 0, 500);
  }

  /** From the next request on, answers after this long. */
  public void answerAfter(long ms) {
    answerAfterMs = ms;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks?from=codelabs";
  }

  private synchronized int answer() {
    if (toFail == 0) {
      return 204;
    }
    toFail--;
    return failStatus;
  }

  private synchronized void record(Request request) {
    requests.add(request);
    List<Request> seen = List.copyOf(requests);
    waiters.removeIf(waiter -> waiter.condition.test(seen) && waiter.done.complete(seen));
  }

  /** Every request so far once the condition holds on them, waiting for more up to the timeout. */
  public List<Request> until(Predicate<List<Request>> condition, long seconds) throws Exception {
    CompletableFuture<List<Request>> done = new CompletableFuture<>();
    synchronized (this) {
      List<Request> seen = List.copyOf(requests);
      if (condition.test(seen)) {
        return seen;
      }
      waiters.add(new Waiter(condition, done));
    }
    return done.get(seconds, TimeUnit.SECONDS);
  }

  public List<Request> untilAccepted(int count, long seconds) throws Exception {
    return until(seen -> seen.stream().filter(Request::accepted).count() >= count, seconds);
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  public void close() {
    server.close().await();
  }
}

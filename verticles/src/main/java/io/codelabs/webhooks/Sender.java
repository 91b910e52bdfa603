package io.codelabs.webhooks;

import io.codelabs.metrics.Meters;
import io.codelabs.metrics.WebhookMeters;
import io.codelabs.outbound.Signatures;
import io.codelabs.outbound.Targets;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One signed POST to an endpoint. The URL's host is resolved and checked before every request and
 * the connection goes to that checked address, with the name kept for Host and TLS. Redirects are
 * refused, the whole exchange is bounded in time and the response is read up to a bound.
 */
final class Sender {
  /** What one attempt came to; an attempt never fails, it is delivered or not. */
  record Outcome(boolean delivered, Integer responseCode, long latencyMs, String error) {
  }

  record Limits(boolean allowHttp, boolean allowPrivate, long timeoutMs, int maxBodyBytes, int maxResponseBytes) {
  }

  /**
   * A checked target is reused for a while: resolving and checking the host on a worker for every event would cap an
   * endpoint's rate. Requests still go to the checked address only, so a changed DNS answer cannot redirect them.
   */
  private static final long RESOLVED_FOR_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int MAX_RESOLVED = 1_000;

  private record Resolved(Targets.Target target, long untilNanos) {
  }

  private final Vertx vertx;
  private final Limits limits;
  private final WebhookMeters meters;
  private final Map<String, Resolved> resolved = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Resolved> eldest) {
      return size() > MAX_RESOLVED;
    }
  };
  private final HttpClientAgent client;

  Sender(Vertx vertx, Limits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.meters = Meters.of(vertx).webhooks;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setMaxRedirects(0)
        .setVerifyHost(true)
        .setMaxHeaderSize(16_384)
        .setConnectTimeout((int) limits.timeoutMs()),
      new PoolOptions().setHttp1MaxSize(4));
  }

  Future<Outcome> send(String url, List<String> secrets, String messageId, String body) {
    long started = System.nanoTime();
    if (body.getBytes(StandardCharsets.UTF_8).length > limits.maxBodyBytes()) {
      return Future.succeededFuture(new Outcome(false, null, 0, "The event is larger than "
        + limits.maxBodyBytes() + " bytes"));
    }
    return target(url)
      .compose(target -> post(target, secrets, messageId, body))
      .transform(done -> {
        long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (done.failed()) {
          Throwable cause = done.cause();
          String error = cause instanceof TimeoutException ? "No answer within " + limits.timeoutMs() + " ms"
            : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
          return Future.succeededFuture(new Outcome(false, null, latency, error));
        }
        int status = done.result();
        String error = status >= 200 && status < 300 ? null
          : status >= 300 && status < 400 ? "Redirects are not followed (HTTP " + status + ")" : "HTTP " + status;
        return Future.succeededFuture(new Outcome(error == null, status, latency, error));
      })
      .onSuccess(outcome -> meters.attempted(outcome.delivered(), outcome.latencyMs()));
  }

  private Future<Targets.Target> target(String url) {
    Resolved known = resolved.get(url);
    if (known != null && known.untilNanos - System.nanoTime() > 0) {
      return Future.succeededFuture(known.target);
    }
    return vertx.executeBlocking(() -> Targets.resolve(url, limits.allowHttp(), limits.allowPrivate()), false)
      .onSuccess(target -> resolved.put(url, new Resolved(target, System.nanoTime() + RESOLVED_FOR_NANOS)));
  }

  private Future<Integer> post(Targets.Target target, List<String> secrets, String messageId, String body) {
    long timestamp = System.currentTimeMillis() / 1000;
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.POST)
      .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
      .setHost(target.host())
      .setPort(target.port())
      .setSsl(target.tls())
      .setURI(target.pathAndQuery())
      .setFollowRedirects(false)
      .setConnectTimeout(limits.timeoutMs())
      .setIdleTimeout(limits.timeoutMs())
      .putHeader("content-type", "application/json")
      .putHeader("user-agent", "open-codelabs-webhooks")
      .putHeader("webhook-id", messageId)
      .putHeader("webhook-timestamp", Long.toString(timestamp))
      .putHeader("webhook-signature", Signatures.header(secrets, messageId, timestamp, body));
    return client.request(options).compose(request -> {
      long timer = vertx.setTimer(limits.timeoutMs(), id -> request.reset(0, new TimeoutException()));
      return request.send(body)
        .compose(response -> drain(request, response))
        .onComplete(done -> vertx.cancelTimer(timer));
    });
  }

  /** Reads and drops the body so the connection can be reused; past the bound the stream is reset. */
  private Future<Integer> drain(HttpClientRequest request, HttpClientResponse response) {
    Promise<Integer> done = Promise.promise();
    long[] read = {0};
    response.handler(chunk -> {
      read[0] += chunk.length();
      if (read[0] > limits.maxResponseBytes() && done.tryComplete(response.statusCode())) {
        request.reset();
      }
    });
    response.exceptionHandler(failure -> done.tryFail(failure));
    response.endHandler(v -> done.tryComplete(response.statusCode()));
    return done.future();
  }

  Future<Void> close() {
    return client.close();
  }
}

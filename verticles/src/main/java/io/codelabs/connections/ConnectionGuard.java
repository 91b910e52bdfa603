package io.codelabs.connections;

import io.codelabs.bus.ErrorCode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keeps one HTTP server answering while clients misbehave: a connection must send its request head
 * in time, a request must be read and answered in time, pending connections are capped per source
 * address and in total (the oldest goes first), all connections are capped in total, and raw paths
 * that a router would normalise into another route are refused. One guard per server instance;
 * the counts are shared by all instances of a server in one Vert.x.
 */
public final class ConnectionGuard {
  /** Longest URI answered; the request line may be a little longer so the answer is a readable 414. */
  public static final int MAX_URI_LENGTH = 4_096;
  private static final int MAX_REQUEST_LINE = 8_192;
  private static final int MAX_INSTANCE_LENGTH = 256;

  private final Vertx vertx;
  private final ConnectionLimits limits;
  private final Counters counters;
  private final Predicate<HttpServerRequest> isUpload;
  private final Map<HttpConnection, Guarded> guarded = new HashMap<>();

  public ConnectionGuard(Vertx vertx, String server, ConnectionLimits limits, Predicate<HttpServerRequest> isUpload) {
    this.vertx = vertx;
    this.limits = limits;
    this.counters = Counters.of(vertx, server);
    this.isUpload = isUpload;
  }

  /**
   * Read-or-write idleness closes stalled bodies and idle keep-alive connections without cutting slow
   * downloads. HTTP/2 upgrades stay off: their detection waits for the first bytes before the
   * connection handler runs, which would let silent connections pass unseen.
   */
  public HttpServerOptions options(HttpServerOptions options) {
    return options.setIdleTimeout((int) limits.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setMaxInitialLineLength(MAX_REQUEST_LINE).setHttp2ClearTextEnabled(false);
  }

  public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
    return server.connectionHandler(this::connected)
      .invalidRequestHandler(this::invalid)
      .requestHandler(request -> admit(request, requests));
  }

  private void connected(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? "" : connection.remoteAddress().hostAddress();
    if (!counters.admitOpen(limits.maxConnections())) {
      connection.close();
      return;
    }
    if (!counters.admitPendingFrom(address, limits.maxPendingPerAddress())) {
      counters.open.decrementAndGet();
      connection.close();
      return;
    }
    Guarded guard = new Guarded(connection::close, address, counters.arrivals.incrementAndGet());
    guarded.put(connection, guard);
    connection.closeHandler(closed -> released(connection, guard));
    guard.timer = vertx.setTimer(limits.headerTimeoutMs(), fired -> connection.close());
    Guarded evicted = counters.addPending(guard, limits.maxPending());
    if (evicted != null) {
      evicted.close.run();
    }
  }

  private void released(HttpConnection connection, Guarded guard) {
    guard.closed = true;
    guarded.remove(connection);
    vertx.cancelTimer(guard.timer);
    counters.leavePending(guard);
    counters.open.decrementAndGet();
  }

  private Guarded headArrived(HttpServerRequest request) {
    Guarded guard = guarded.get(request.connection());
    if (guard != null) {
      vertx.cancelTimer(guard.timer);
      guard.timer = -1;
      counters.leavePending(guard);
    }
    return guard;
  }

  private void admit(HttpServerRequest request, Handler<HttpServerRequest> requests) {
    Guarded guard = headArrived(request);
    if (request.uri().length() > MAX_URI_LENGTH) {
      refuse(request, ErrorCode.URI_TOO_LONG, "A request URI may be at most " + MAX_URI_LENGTH + " characters");
      return;
    }
    String unsafe = unsafePath(request.path());
    if (unsafe != null) {
      refuse(request, ErrorCode.INVALID, unsafe);
      return;
    }
    if (guard != null && !request.canUpgradeToWebSocket()) {
      guard.current = request;
      guard.timer = vertx.setTimer(isUpload.test(request) ? limits.uploadTimeoutMs() : limits.requestTimeoutMs(),
        fired -> overdue(guard, request));
    }
    requests.handle(request);
  }

  /**
   * Not answered in time: 408 and close. Answered but still sending its body: close. Being
   * downloaded: idleness governs, looked at again later. Done: the connection must send its next
   * head within the idle time, as a fresh one must within the header time.
   */
  private void overdue(Guarded guard, HttpServerRequest request) {
    guard.timer = -1;
    if (guard.closed || guard.current != request) {
      return;
    }
    HttpServerResponse response = request.response();
    if (!response.headWritten()) {
      refuse(request, ErrorCode.REQUEST_TIMEOUT, "The request was not complete or not answered in time");
    } else if (!request.isEnded()) {
      guard.close.run();
    } else if (!response.ended()) {
      guard.timer = vertx.setTimer(limits.requestTimeoutMs(), fired -> overdue(guard, request));
    } else {
      guard.timer = vertx.setTimer(limits.idleTimeoutMs(), fired -> guard.close.run());
    }
  }

  private void invalid(HttpServerRequest request) {
    headArrived(request);
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      refuse(request, ErrorCode.URI_TOO_LONG, "A request URI may be at most " + MAX_URI_LENGTH + " characters");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(request, ErrorCode.HEADERS_TOO_LARGE, "The request headers are too large");
    } else {
      refuse(request, ErrorCode.INVALID, "The request could not be read");
    }
  }

  /**
   * Why a raw path is refused, or null. Dot segments and encoded separators are refused rather than
   * resolved, so a path means the route it names and a path-filtering proxy in front sees the same.
   */
  static String unsafePath(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return "The path must start with /";
    }
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.indexOf('\\') >= 0) {
      return "Encoded slashes and backslashes are not allowed in a path";
    }
    for (String segment : lower.split("/", -1)) {
      String decoded = segment.replace("%2e", ".");
      if (decoded.equals(".") || decoded.equals("..")) {
        return "Dot segments are not allowed in a path";
      }
    }
    return null;
  }

  /** A problem document, and the connection closed once it is sent: what it sends next is not trusted. */
  private static void refuse(HttpServerRequest request, ErrorCode code, String detail) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      request.connection().close();
      return;
    }
    String path = request.path() == null ? "" : request.path();
    String instance = path.length() > MAX_INSTANCE_LENGTH ? path.substring(0, MAX_INSTANCE_LENGTH) : path;
    JsonObject problem = code.problem(detail, instance);
    response.setStatusCode(code.code)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(problem.encode())
      .onComplete(sent -> request.connection().close());
  }
}

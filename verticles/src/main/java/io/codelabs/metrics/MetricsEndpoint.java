package io.codelabs.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics} in the Prometheus text format, on a management listener of its own (loopback by default), never
 * on the public HTTP or realtime port. With a token configured, a scrape must also present it as a Bearer token.
 */
public final class MetricsEndpoint {
  public static final String PORT = "metrics.port";
  public static final String HOST = "metrics.host";
  public static final String TOKEN = "metrics.token";
  public static final String PATH = "/metrics";
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final byte[] expectedAuthorization;

  private MetricsEndpoint(Vertx vertx, PrometheusMeterRegistry registry, String token) {
    this.vertx = vertx;
    this.registry = registry;
    this.expectedAuthorization = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  public static Future<HttpServer> listen(Vertx vertx, PrometheusMeterRegistry registry, String host, int port,
                                          String token) {
    MetricsEndpoint endpoint = new MetricsEndpoint(vertx, registry, token);
    return vertx.createHttpServer().requestHandler(endpoint::handle).listen(port, host);
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals(PATH)) {
      request.response().setStatusCode(404).end();
    } else if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).putHeader("Allow", "GET").end();
    } else if (!authorized(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"").end();
    } else {
      // Formatting every series is CPU work that grows with the registry: off the event loop.
      vertx.executeBlocking(registry::scrape, false).onComplete(
        text -> request.response().putHeader("Content-Type", TEXT_FORMAT).end(text),
        failure -> request.response().setStatusCode(500).end());
    }
  }

  private boolean authorized(String header) {
    return expectedAuthorization == null
      || header != null && MessageDigest.isEqual(expectedAuthorization, header.getBytes(StandardCharsets.UTF_8));
  }
}

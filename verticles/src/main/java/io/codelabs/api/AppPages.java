package io.codelabs.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser app's page as the answer to an address a person typed or followed that leads nowhere: the app then
 * explains it in its own look and language, while the status stays 404 for crawlers, scripts and link checkers.
 */
final class AppPages {
  private static final String PAGE = "webroot/index.html";

  private AppPages() {
  }

  /** A browser navigating, not a script or the app's own fetches (those ask for JSON). */
  static boolean wanted(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    return (method == HttpMethod.GET || method == HttpMethod.HEAD) && accept != null && accept.contains("text/html");
  }

  static void notFound(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(404)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .sendFile(PAGE)
      .onFailure(ctx::fail);
  }
}

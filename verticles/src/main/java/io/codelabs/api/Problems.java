package io.codelabs.api;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure as an RFC 7807 problem document whose status is the bus error code. */
final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {
  }

  static void send(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      send(ctx, ErrorCode.BUSY, "The service is not available right now, retry shortly");
    } else if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
      send(ctx, ErrorCode.TIMEOUT, "The service did not answer in time");
    } else if (failure instanceof BusFailure || failure instanceof ReplyException) {
      send(ctx, ErrorCode.of(failure), failure.getMessage());
    } else if (failure instanceof HttpException http && http.getStatusCode() < 500) {
      String detail = http.getCause() != null ? http.getCause().getMessage() : http.getPayload();
      send(ctx, ErrorCode.of(http.getStatusCode()), detail == null ? ErrorCode.of(http.getStatusCode()).title : detail);
    } else {
      LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, ErrorCode.INTERNAL, "Something went wrong on our side");
    }
  }

  static void send(RoutingContext ctx, ErrorCode code, String detail) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject problem = new JsonObject()
      .put("type", "urn:codelabs:problem:" + code.name().toLowerCase().replace('_', '-'))
      .put("title", code.title)
      .put("status", code.code)
      .put("detail", detail)
      .put("instance", ctx.request().path());
    ctx.response()
      .setStatusCode(code.code)
      .putHeader("Content-Type", "application/problem+json")
      .end(problem.encode());
  }
}

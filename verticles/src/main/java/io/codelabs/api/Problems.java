package io.codelabs.api;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.metrics.Meters;
import io.netty.handler.codec.http.HttpResponseStatus;
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

  /**
   * The failure handler of every route. Handlers such as the body limit fail the context with a
   * status code and no exception: that status is the answer, not an internal error.
   */
  static void failed(RoutingContext ctx) {
    send(ctx, ctx.failure() != null ? ctx.failure() : new HttpException(ctx.statusCode()));
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
      send(ctx, http.getStatusCode(), detail);
    } else {
      LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, ErrorCode.INTERNAL, "Something went wrong on our side");
    }
  }

  /** A client error the router found (405, 406, ...): its own status, catalogued or not. */
  private static void send(RoutingContext ctx, int status, String detail) {
    ErrorCode code = ErrorCode.of(status);
    if (code.code == status) {
      send(ctx, code, detail == null ? code.title : detail);
    } else {
      String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
      send(ctx, status, "urn:codelabs:problem:http-" + status, reason, detail == null ? reason : detail);
    }
  }

  static void send(RoutingContext ctx, ErrorCode code, String detail) {
    answer(ctx, code.code, code.problem(detail, ctx.request().path()));
  }

  private static void send(RoutingContext ctx, int status, String type, String title, String detail) {
    answer(ctx, status, new JsonObject().put("type", type).put("title", title).put("status", status)
      .put("detail", detail).put("instance", ctx.request().path()));
  }

  private static void answer(RoutingContext ctx, int status, JsonObject problem) {
    if (ctx.response().ended()) {
      return;
    }
    if (status == ErrorCode.RATE_LIMITED.code) {
      Meters.of(ctx.vertx()).httpRateLimited.increment();
    }
    ctx.response()
      .setStatusCode(status)
      .putHeader("Content-Type", "application/problem+json")
      .end(problem.encode());
  }
}

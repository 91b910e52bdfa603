package io.codelabs.api;

import io.codelabs.api.Auth.Need;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.outbound.Signatures;
import io.codelabs.outbound.Targets;
import io.codelabs.outbound.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.net.UnknownHostException;

/** Webhook endpoints of the signed-in facilitator: the URL is checked here, where it can be resolved, before it is stored. */
final class WebhookRoutes {
  private final Vertx vertx;
  private final HttpApiVerticle api;
  private final BusClient bus;
  /** A redelivery waits for the endpoint's answer, which may take the whole request timeout. */
  private final BusClient redeliveries;
  private final boolean allowHttp;
  private final boolean allowPrivate;
  private final long overlapMs;

  WebhookRoutes(Vertx vertx, HttpApiVerticle api, JsonObject config) {
    this.vertx = vertx;
    this.api = api;
    this.bus = api.bus();
    this.redeliveries = new BusClient(vertx, config.getLong(BusClient.TIMEOUT_KEY) + config.getLong(WebhookConfig.TIMEOUT_MS));
    this.allowHttp = config.getBoolean(WebhookConfig.ALLOW_HTTP);
    this.allowPrivate = config.getBoolean(WebhookConfig.ALLOW_PRIVATE_TARGETS);
    this.overlapMs = config.getLong(WebhookConfig.ROTATION_OVERLAP_SECONDS) * 1000;
  }

  void mount(RouterBuilder builder) {
    on(builder, "listWebhooks", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx)
      .compose(actor -> bus.request(Address.WEBHOOK_LIST, actor, ApiRoutes.requestBody(ctx)))));
    on(builder, "createWebhook", ctx -> {
      JsonObject body = ApiRoutes.requestBody(ctx);
      ApiRoutes.respond(ctx, 201, caller(ctx).compose(actor -> checked(body.getString("url"))
        .compose(ok -> bus.request(Address.WEBHOOK_CREATE, actor, body.put("secret", Signatures.newSecret())))));
    });
    on(builder, "updateWebhook", ctx -> {
      JsonObject body = ApiRoutes.requestBody(ctx);
      ApiRoutes.respond(ctx, 200, caller(ctx).compose(actor -> (body.getString("url") == null
        ? Future.succeededFuture() : checked(body.getString("url")))
        .compose(ok -> bus.request(Address.WEBHOOK_UPDATE, actor, body))));
    });
    on(builder, "deleteWebhook", ctx -> caller(ctx)
      .compose(actor -> bus.request(Address.WEBHOOK_DELETE, actor, ApiRoutes.requestBody(ctx)))
      .onComplete(done -> ctx.response().setStatusCode(204).end(), failure -> Problems.send(ctx, failure)));
    on(builder, "rotateWebhookSecret", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx)
      .compose(actor -> bus.request(Address.WEBHOOK_ROTATE, actor, ApiRoutes.requestBody(ctx)
        .put("secret", Signatures.newSecret()).put("overlapMs", overlapMs)))));
    on(builder, "listWebhookDeliveries", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx)
      .compose(actor -> bus.request(Address.WEBHOOK_DELIVERIES, actor, ApiRoutes.requestBody(ctx)))));
    on(builder, "redeliverWebhook", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx)
      .compose(actor -> redeliveries.request(Address.WEBHOOK_REDELIVER, actor, ApiRoutes.requestBody(ctx)))));
  }

  /** Resolves the host on a worker; any address of it that is internal refuses the URL (unless the operator allows it). */
  private Future<Void> checked(String url) {
    return vertx.<Void>executeBlocking(() -> {
      try {
        Targets.resolve(url, allowHttp, allowPrivate);
        return null;
      } catch (IllegalArgumentException e) {
        throw ErrorCode.UNPROCESSABLE.failure(e.getMessage());
      } catch (UnknownHostException e) {
        throw ErrorCode.UNPROCESSABLE.failure("The URL's host cannot be resolved: " + e.getMessage());
      }
    }, false);
  }

  private Future<Actor> caller(RoutingContext ctx) {
    return api.auth().compose(auth -> auth.caller(ctx, Need.FACILITATOR));
  }

  private static void on(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    builder.getRoute(operationId).addHandler(handler);
  }
}

package io.codelabs.api;

import io.codelabs.api.Auth.Need;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.tokens.ApiKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** Facilitators' API keys: the key is generated here, shown once, and only its hash goes to the writer. */
final class ApiKeyRoutes {
  private final HttpApiVerticle api;
  private final BusClient bus;

  ApiKeyRoutes(HttpApiVerticle api) {
    this.api = api;
    this.bus = api.bus();
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("listApiKeys").addHandler(ctx -> ApiRoutes.respond(ctx, 200, caller(ctx)
      .compose(actor -> bus.request(Address.APIKEY_LIST, actor, new JsonObject()))));
    builder.getRoute("createApiKey").addHandler(this::create);
    builder.getRoute("revokeApiKey").addHandler(ctx -> caller(ctx)
      .compose(actor -> bus.request(Address.APIKEY_REVOKE, actor, ApiRoutes.requestBody(ctx)))
      .onComplete(revoked -> ctx.response().setStatusCode(204).end(), failure -> Problems.send(ctx, failure)));
  }

  private void create(RoutingContext ctx) {
    ApiKeys.Issued issued = ApiKeys.generate();
    JsonObject body = ApiRoutes.requestBody(ctx).put("keyId", issued.keyId()).put("secretHash", issued.secretHash());
    ApiRoutes.respond(ctx, 201, caller(ctx)
      .compose(actor -> bus.request(Address.APIKEY_CREATE, actor, body))
      .map(created -> created.put("key", issued.key())));
  }

  private Future<Actor> caller(RoutingContext ctx) {
    return api.auth().compose(auth -> auth.caller(ctx, Need.FACILITATOR));
  }
}

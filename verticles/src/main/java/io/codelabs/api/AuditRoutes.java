package io.codelabs.api;

import io.codelabs.api.Auth.Need;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log for the instance admin: a page at a time as JSON, or all of it (as filtered) as CSV. */
final class AuditRoutes {
  /** Entries the CSV export asks the read side for at once; the response is written page by page. */
  private static final int EXPORT_PAGE = 500;
  private static final List<Object> CSV_HEADER = List.of("id", "time", "actorRole", "actorId", "actorName", "action",
    "codelabId", "codelabTitle", "source", "detail");

  private final HttpApiVerticle api;
  private final BusClient bus;

  AuditRoutes(HttpApiVerticle api) {
    this.api = api;
    this.bus = api.bus();
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("listAudit").addHandler(ctx -> ApiRoutes.respond(ctx, 200, caller(ctx)
      .compose(actor -> bus.request(Address.AUDIT_LIST, actor, filters(ctx)))));
    builder.getRoute("exportAudit").addHandler(this::export);
  }

  /**
   * The first page is read before anything is sent, so a refusal still answers as a problem. Each
   * next page is asked for once the client has taken the last one: a slow download holds one page.
   */
  private void export(RoutingContext ctx) {
    JsonObject filters = filters(ctx).put("limit", EXPORT_PAGE);
    caller(ctx).compose(actor -> bus.request(Address.AUDIT_LIST, actor, filters)
        .onSuccess(first -> writePages(startCsv(ctx), actor, filters, first)))
      .onFailure(failure -> Problems.send(ctx, failure));
  }

  private static HttpServerResponse startCsv(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setStatusCode(200).setChunked(true)
      .putHeader("Content-Type", "text/csv; charset=utf-8")
      .putHeader("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
    response.write("\uFEFF" + Csv.table(List.of(CSV_HEADER)));
    return response;
  }

  private void writePages(HttpServerResponse response, Actor actor, JsonObject filters, JsonObject page) {
    if (response.closed()) {
      return;
    }
    response.write(Csv.table(rows(page.getJsonArray("entries"))));
    Object next = page.getValue("next");
    if (next == null) {
      response.end();
      return;
    }
    Runnable more = () -> bus.request(Address.AUDIT_LIST, actor, filters.copy().put("before", next)).onComplete(
      following -> writePages(response, actor, filters, following),
      failure -> response.reset());
    if (response.writeQueueFull()) {
      response.drainHandler(drained -> more.run());
    } else {
      more.run();
    }
  }

  private static List<List<Object>> rows(JsonArray entries) {
    List<List<Object>> rows = new ArrayList<>(entries.size());
    for (Object item : entries) {
      JsonObject entry = (JsonObject) item;
      List<Object> row = new ArrayList<>(CSV_HEADER.size());
      row.add(entry.getLong("id"));
      row.add(Instant.ofEpochMilli(entry.getLong("at")).toString());
      row.add(entry.getString("actorRole"));
      row.add(entry.getString("actorId"));
      row.add(entry.getString("actorName"));
      row.add(entry.getString("action"));
      row.add(entry.getString("codelabId"));
      row.add(entry.getString("codelabTitle"));
      row.add(entry.getString("source"));
      row.add(entry.getJsonObject("detail").encode());
      rows.add(row);
    }
    return rows;
  }

  /** The query's filters as the read side names them; "actor" in the body is always the caller. */
  private static JsonObject filters(RoutingContext ctx) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    JsonObject filters = new JsonObject();
    validated.getQuery().forEach((name, parameter) -> {
      if (!parameter.isNull()) {
        filters.put(name.equals("actor") ? "actorName" : name, parameter.get());
      }
    });
    return filters;
  }

  private Future<Actor> caller(RoutingContext ctx) {
    return api.auth().compose(auth -> auth.caller(ctx, Need.ADMIN));
  }
}

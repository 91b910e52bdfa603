package io.codelabs.api;

import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.Scope;
import io.codelabs.tokens.Tokens;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The REST operations an API key may call and the scope each needs, from the catalogue: an operation that does what
 * an address does needs that address's scope. Any other route (accounts, keys, codelab content, uploads) refuses keys.
 */
final class KeyGrants {
  /** Read routes that answer from an internal query rather than through the bridge's addresses. */
  private static final Map<String, Address> READS = Map.of(
    "getCodelab", Address.CODELAB_GET,
    "listAttendees", Address.ATTENDEE_LIST,
    "listHelp", Address.HELP_LIST,
    "getPacing", Address.PACING_GET,
    "chatHistory", Address.CHAT_HISTORY,
    "listAnnouncements", Address.ANNOUNCEMENT_LIST,
    "getResults", Address.RESULTS_GET,
    "exportResults", Address.RESULTS_GET,
    "listSubmissions", Address.SUBMISSION_LIST);
  private static final Map<String, Scope> SCOPES = scopes();

  private KeyGrants() {
  }

  private static Map<String, Scope> scopes() {
    Map<String, Scope> scopes = new HashMap<>();
    Arrays.stream(Address.values()).filter(address -> address.operation != null)
      .forEach(address -> Scope.needed(address).ifPresent(scope -> scopes.put(address.operation, scope)));
    READS.forEach((operation, address) -> scopes.put(operation, Scope.needed(address).orElseThrow()));
    return Map.copyOf(scopes);
  }

  /** Fails 403 unless the key has the scope the route needs and, when limited to a codelab, the route is about it. */
  static void check(RoutingContext ctx, JsonObject claims) {
    Route route = ctx.currentRoute();
    Operation operation = route == null ? null : route.getMetadata(RouterBuilder.KEY_META_DATA_OPERATION);
    Scope needed = operation == null ? null : SCOPES.get(operation.getOperationId());
    if (needed == null) {
      throw ErrorCode.FORBIDDEN.failure("API keys may not use this route");
    }
    if (!Tokens.allows(claims, needed)) {
      throw ErrorCode.FORBIDDEN.failure("The API key lacks the " + needed.wire + " scope");
    }
    if (!Tokens.reaches(claims, ctx.pathParam("codelabId"))) {
      throw ErrorCode.FORBIDDEN.failure("The API key is limited to another codelab");
    }
  }
}

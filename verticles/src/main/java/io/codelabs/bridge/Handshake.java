package io.codelabs.bridge;

import io.codelabs.bus.BusClient;
import io.codelabs.tokens.Revocations;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/**
 * Who a socket is: the credential its handshake request carried, verified with the writer's signing keys and checked
 * against the signed-out sessions, which this node follows as they change.
 */
final class Handshake {
  private static final String NOT_LOGGED_IN = "not_logged_in";
  private static final String CREDENTIAL = "codelabs.credential";

  private volatile Tokens tokens;

  /** Loads the keys and the revoked sessions; {@code onRevoked} runs whenever sessions are revoked. */
  Future<Void> start(Vertx vertx, BusClient bus, int maxRevoked, int keyCacheSize, Runnable onRevoked) {
    Revocations revocations = new Revocations(maxRevoked);
    return revocations.follow(vertx, changed -> onRevoked.run())
      .compose(following -> Tokens.keepLoading(vertx, bus, revocations, keyCacheSize, loaded -> tokens = loaded));
  }

  /** Read before SockJS takes the request: it strips cookies from the headers. */
  static void capture(RoutingContext ctx) {
    ctx.put(CREDENTIAL, credential(ctx.request()));
  }

  /**
   * The claims of the socket's verified token; fails when it carried none or the keys are not loaded yet. SockJS keeps
   * the handshake's context as long as the socket lives, so the credential leaves it once read.
   */
  Future<JsonObject> claims(SockJSSocket socket) {
    return claims(socket.routingContext().<String>remove(CREDENTIAL));
  }

  /** The claims of a verified token or API key; fails when there is none or the keys are not loaded yet. */
  Future<JsonObject> claims(String token) {
    Tokens verifier = tokens;
    if (token == null || verifier == null) {
      return Future.failedFuture(NOT_LOGGED_IN);
    }
    return verifier.claims(token);
  }

  boolean revoked(JsonObject claims) {
    Tokens verifier = tokens;
    return verifier != null && verifier.revoked(claims);
  }

  static void refuse(SockJSSocket socket) {
    socket.write(new JsonObject().put("type", "err").put("body", NOT_LOGGED_IN).toBuffer());
    socket.close(4001, NOT_LOGGED_IN);
  }

  /** Bearer header for scripts and API keys; otherwise the browser's cookie (the attendee's when asked with ?as=attendee). */
  private static String credential(HttpServerRequest handshake) {
    String bearer = Tokens.bearer(handshake);
    if (bearer != null) {
      return bearer;
    }
    String facilitator = Tokens.cookie(handshake, Tokens.FACILITATOR_COOKIE);
    String attendee = Tokens.cookie(handshake, Tokens.ATTENDEE_COOKIE);
    boolean asAttendee = "attendee".equals(handshake.getParam("as"));
    return asAttendee || facilitator == null ? attendee : facilitator;
  }
}

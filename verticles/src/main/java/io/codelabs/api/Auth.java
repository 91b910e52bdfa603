package io.codelabs.api;

import io.codelabs.bus.Actor;
import io.codelabs.bus.ErrorCode;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How the API hands out and reads tokens: browsers hold them in HttpOnly cookies, and each token
 * carries a CSRF value that cookie-authenticated writes must echo in a header; scripts use Bearer.
 */
final class Auth {
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final SecureRandom RANDOM = new SecureRandom();

  enum Need { FACILITATOR, ADMIN, ATTENDEE, ANYONE }

  private final Tokens tokens;
  private final boolean secureCookies;

  Auth(Tokens tokens, boolean secureCookies) {
    this.tokens = tokens;
    this.secureCookies = secureCookies;
  }

  /** Issues a token of a new session and returns what the sign-in or join response carries. */
  JsonObject issue(RoutingContext ctx, Actor actor, boolean bearer, boolean admin) {
    String csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    int ttl = actor.isFacilitator() ? Tokens.FACILITATOR_TTL_S : Tokens.ATTENDEE_TTL_S;
    String token = tokens.issue(actor, csrf, ttl, admin);
    if (bearer) {
      return new JsonObject().put("token", token).put("expiresIn", ttl);
    }
    String name = actor.isFacilitator() ? Tokens.FACILITATOR_COOKIE : Tokens.ATTENDEE_COOKIE;
    ctx.response().addCookie(cookie(name, token, ttl));
    return new JsonObject().put("csrfToken", csrf).put("expiresIn", ttl);
  }

  void clear(RoutingContext ctx) {
    ctx.response().addCookie(cookie(Tokens.FACILITATOR_COOKIE, "", 0));
    ctx.response().addCookie(cookie(Tokens.ATTENDEE_COOKIE, "", 0));
  }

  /**
   * The sessions a sign-out ends: the Bearer token's, or else those of both cookies. Tokens that
   * are invalid, expired or already revoked need no revoking and are left out, and so are API keys:
   * a key ends only when it is revoked.
   */
  Future<JsonArray> presentedSessions(RoutingContext ctx) {
    String bearer = Tokens.bearer(ctx.request());
    List<String> presented = bearer != null ? List.of(bearer) : Stream.of(
        Tokens.cookie(ctx.request(), Tokens.FACILITATOR_COOKIE), Tokens.cookie(ctx.request(), Tokens.ATTENDEE_COOKIE))
      .filter(Objects::nonNull).toList();
    List<Future<JsonObject>> sessions = presented.stream()
      .map(token -> tokens.claims(token).map(claims -> Tokens.isApiKey(claims) ? null : session(claims))
        .otherwise((JsonObject) null)).toList();
    return Future.all(sessions).map(all -> new JsonArray(sessions.stream().map(Future::result)
      .filter(Objects::nonNull).toList()));
  }

  /** The session and whose it is, so its end is audited as that attendee's or facilitator's sign-out. */
  private static JsonObject session(JsonObject claims) {
    Actor actor = Tokens.actorOf(claims);
    return Tokens.session(claims).put("role", actor.role().name()).put("codelabId", actor.codelabId());
  }

  /** Whether the route was called with a Bearer token rather than cookies. */
  static boolean usesBearer(RoutingContext ctx) {
    return Tokens.bearer(ctx.request()) != null;
  }

  /**
   * The caller the route needs, from the Bearer header or else the cookie for that role (the
   * facilitator cookie first where either will do). Fails 401 without one, 403 with the wrong one.
   */
  Future<Actor> caller(RoutingContext ctx, Need need) {
    String bearer = Tokens.bearer(ctx.request());
    if (bearer != null) {
      return tokens.claims(bearer).map(claims -> {
        Actor actor = checkRole(claims, need);
        if (Tokens.isApiKey(claims)) {
          KeyGrants.check(ctx, claims);
        }
        return actor;
      });
    }
    String facilitator = need == Need.ATTENDEE ? null : Tokens.cookie(ctx.request(), Tokens.FACILITATOR_COOKIE);
    String attendee = need == Need.FACILITATOR || need == Need.ADMIN ? null
      : Tokens.cookie(ctx.request(), Tokens.ATTENDEE_COOKIE);
    String token = facilitator != null ? facilitator : attendee;
    if (token == null) {
      return Future.failedFuture(need == Need.ATTENDEE
        ? ErrorCode.UNAUTHORISED.failure("Join the codelab first")
        : ErrorCode.UNAUTHORISED.failure("Sign in first"));
    }
    return tokens.claims(token).map(verified -> {
      if (!safe(ctx.request().method()) && !verified.getString("csrf").equals(ctx.request().getHeader(CSRF_HEADER))) {
        throw ErrorCode.FORBIDDEN.failure("Missing or wrong " + CSRF_HEADER + " header");
      }
      return checkRole(verified, need);
    });
  }

  /** The facilitator and attendee this browser holds cookies for, each with its CSRF value. */
  Future<JsonObject> whoAmI(RoutingContext ctx) {
    return Future.all(describe(Tokens.cookie(ctx.request(), Tokens.FACILITATOR_COOKIE)),
        describe(Tokens.cookie(ctx.request(), Tokens.ATTENDEE_COOKIE)))
      .map(all -> new JsonObject().put("facilitator", all.resultAt(0)).put("attendee", all.resultAt(1)));
  }

  private Future<JsonObject> describe(String token) {
    if (token == null) {
      return Future.succeededFuture();
    }
    return tokens.claims(token)
      .map(claims -> Tokens.actorOf(claims).toJson().put("csrfToken", claims.getString("csrf"))
        .put("admin", claims.getBoolean("admin", false)))
      .otherwise((JsonObject) null);
  }

  /** Whether the request carries a valid token of the instance admin, as the server signed it. */
  Future<Boolean> isAdmin(RoutingContext ctx) {
    return caller(ctx, Need.ADMIN).map(true).otherwise(false);
  }

  private static Actor checkRole(JsonObject claims, Need need) {
    Actor actor = Tokens.actorOf(claims);
    if ((need == Need.FACILITATOR || need == Need.ADMIN) && !actor.isFacilitator()) {
      throw ErrorCode.FORBIDDEN.failure("Only facilitators may do that");
    }
    if (need == Need.ADMIN && !claims.getBoolean("admin", false)) {
      throw ErrorCode.FORBIDDEN.failure("Only the instance admin may do that");
    }
    if (need == Need.ATTENDEE && actor.isFacilitator()) {
      throw ErrorCode.FORBIDDEN.failure("Only attendees may do that");
    }
    return actor;
  }

  private static boolean safe(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }

  private Cookie cookie(String name, String value, long maxAgeSeconds) {
    return Cookie.cookie(name, value).setPath("/").setHttpOnly(true).setSecure(secureCookies)
      .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}

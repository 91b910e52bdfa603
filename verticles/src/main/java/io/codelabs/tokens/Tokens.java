package io.codelabs.tokens;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Facilitator and attendee tokens: HS256 JWTs signed with the secret the database keeps, so the
 * API and the realtime bridge of every node issue and accept the same tokens.
 */
public final class Tokens {
  /** Browsers carry the tokens in these HttpOnly cookies; scripts in an Authorization header. */
  public static final String FACILITATOR_COOKIE = "codelabs_fac";
  public static final String ATTENDEE_COOKIE = "codelabs_att";
  public static final int FACILITATOR_TTL_S = 12 * 3600;
  public static final int ATTENDEE_TTL_S = 48 * 3600;
  /** After this long every token issued before a cut-off has expired, so the cut-off can go. */
  public static final int LONGEST_TTL_S = Math.max(FACILITATOR_TTL_S, ATTENDEE_TTL_S);
  /** Config key: revoked sessions a node remembers before it folds the oldest into per-subject cut-offs. */
  public static final String MAX_REVOKED = "sessions.maxRevoked";
  public static final int DEFAULT_MAX_REVOKED = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(Tokens.class);
  private static final long RETRY_MS = 1_000;

  private final JWTAuth jwt;
  private final Revocations revocations;
  private final ApiKeys apiKeys;

  public Tokens(Vertx vertx, String secret, Revocations revocations, ApiKeys apiKeys) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.revocations = revocations;
    this.apiKeys = apiKeys;
  }

  /**
   * A token of a new session ({@code jti}), with {@code exp} and an {@code iat} of millisecond
   * precision (a NumericDate may have a fraction), so a cut-off taken at a password change spares
   * the token issued right after it. Facilitator tokens say whether the account is the admin.
   */
  public String issue(Actor actor, String csrf, int ttlSeconds, boolean admin) {
    JsonObject claims = new JsonObject().put("role", actor.role().name()).put("name", actor.name()).put("csrf", csrf)
      .put("jti", UUID.randomUUID().toString()).put("iat", System.currentTimeMillis() / 1000.0);
    if (actor.codelabId() != null) {
      claims.put("codelab", actor.codelabId());
    }
    if (admin) {
      claims.put("admin", true);
    }
    return jwt.generateToken(claims, new JWTOptions().setSubject(actor.id()).setExpiresInSeconds(ttlSeconds)
      .setNoTimestamp(true));
  }

  /**
   * The claims of a token or an API key, or a 401 failure when it is invalid, expired, without an expiry (tokens
   * only: a key may live until revoked) or revoked.
   */
  public Future<JsonObject> claims(String token) {
    if (ApiKeys.looksLike(token)) {
      return apiKeys.claims(token);
    }
    return jwt.authenticate(new TokenCredentials(token))
      .map(user -> user.attributes().getJsonObject("accessToken"))
      .recover(failure -> Future.failedFuture(ErrorCode.UNAUTHORISED.failure("The token is invalid or expired")))
      .map(claims -> {
        if (!(claims.getValue("exp") instanceof Number) || !(claims.getValue("iat") instanceof Number)
          || claims.getString("jti") == null) {
          throw ErrorCode.UNAUTHORISED.failure("The token has no expiry or session: sign in again");
        }
        if (revocations.refuses(claims.getString("sub"), claims.getString("jti"), issuedAt(claims))) {
          throw ErrorCode.UNAUTHORISED.failure("The session has ended: sign in again");
        }
        return claims;
      });
  }

  /** Whether a session that was valid when it opened is revoked now. */
  public boolean revoked(JsonObject claims) {
    if (isApiKey(claims)) {
      return revocations.refusesKey(claims.getString("sub"), claims.getString("jti"));
    }
    return revocations.refuses(claims.getString("sub"), claims.getString("jti"), issuedAt(claims));
  }

  public static long issuedAt(JsonObject claims) {
    return Math.round(((Number) claims.getValue("iat")).doubleValue() * 1000);
  }

  public static long expiresAt(JsonObject claims) {
    return ((Number) claims.getValue("exp")).longValue() * 1000;
  }

  /** How the writer is asked to revoke the session of these verified claims. */
  public static JsonObject session(JsonObject claims) {
    return new JsonObject().put("sessionId", claims.getString("jti")).put("subject", claims.getString("sub"))
      .put("issuedAt", issuedAt(claims)).put("expiresAt", expiresAt(claims));
  }

  /** The request's {@code Authorization: Bearer} token, or null. */
  public static String bearer(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /** The token in the named cookie, or null when there is none or it was cleared. */
  public static String cookie(HttpServerRequest request, String name) {
    Cookie cookie = request.getCookie(name);
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  /** A facilitator's actor names no codelab, even for a key limited to one: the key's limit is checked apart. */
  public static Actor actorOf(JsonObject claims) {
    Address.Role role = Address.Role.valueOf(claims.getString("role"));
    return new Actor(role, claims.getString("sub"), role == Address.Role.FACILITATOR ? null : claims.getString("codelab"),
      claims.getString("name"));
  }

  /** Claims of an API key carry its scopes; those of a signed-in session none. */
  public static boolean isApiKey(JsonObject claims) {
    return claims.getValue("scopes") instanceof JsonArray;
  }

  /** Whether the claims may do what needs this scope: sessions may do all their role may, keys what they were given. */
  public static boolean allows(JsonObject claims, Scope scope) {
    return !isApiKey(claims) || claims.getJsonArray("scopes").contains(scope.wire);
  }

  /** Whether the claims reach this codelab: a key limited to one codelab reaches no other. */
  public static boolean reaches(JsonObject claims, String codelabId) {
    String only = claims.getString("codelab");
    return !isApiKey(claims) || only == null || only.equals(codelabId);
  }

  /**
   * Asks the persistence verticle for the signing secret and the revocations so far, and keeps
   * asking every second until it answers (edge nodes may start before the writer does). Completes
   * after the first attempt. Follow the revocation events before this, so none falls in between.
   */
  public static Future<Void> keepLoading(Vertx vertx, BusClient bus, Revocations revocations, int keyCacheSize,
                                         Consumer<Tokens> loaded) {
    return bus.request(Address.AUTH_KEYS, new JsonObject())
      .onSuccess(keys -> {
        revocations.merge(keys.getJsonObject("revocations", new JsonObject()));
        loaded.accept(new Tokens(vertx, keys.getString("signingSecret"), revocations,
          new ApiKeys(bus, revocations, keyCacheSize)));
      })
      .onFailure(failure -> {
        LOG.info("Waiting for the persistence verticle: {}", failure.getMessage());
        vertx.setTimer(RETRY_MS, id -> keepLoading(vertx, bus, revocations, keyCacheSize, loaded));
      })
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }
}

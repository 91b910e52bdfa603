package io.codelabs.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
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

  private static final Logger LOG = LoggerFactory.getLogger(Tokens.class);
  private static final long RETRY_MS = 1_000;

  private final JWTAuth jwt;

  public Tokens(Vertx vertx, String secret) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  public String issue(Actor actor, String csrf, int ttlSeconds) {
    JsonObject claims = new JsonObject().put("role", actor.role().name()).put("name", actor.name()).put("csrf", csrf);
    if (actor.codelabId() != null) {
      claims.put("codelab", actor.codelabId());
    }
    return jwt.generateToken(claims, new JWTOptions().setSubject(actor.id()).setExpiresInSeconds(ttlSeconds));
  }

  /** The token's claims, or a 401 failure when it is invalid or expired. */
  public Future<JsonObject> claims(String token) {
    return jwt.authenticate(new TokenCredentials(token))
      .map(user -> user.principal())
      .recover(failure -> Future.failedFuture(ErrorCode.UNAUTHORISED.failure("The token is invalid or expired")));
  }

  public Future<Actor> verify(String token) {
    return claims(token).map(Tokens::actorOf);
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

  public static Actor actorOf(JsonObject claims) {
    return new Actor(Address.Role.valueOf(claims.getString("role")), claims.getString("sub"),
      claims.getString("codelab"), claims.getString("name"));
  }

  /**
   * Asks the persistence verticle for the signing secret, and keeps asking every second until it
   * answers (edge nodes may start before the writer does). Completes after the first attempt.
   */
  public static Future<Void> keepLoading(Vertx vertx, BusClient bus, Consumer<Tokens> loaded) {
    return bus.request(Address.AUTH_KEYS, new JsonObject())
      .onSuccess(keys -> loaded.accept(new Tokens(vertx, keys.getString("signingSecret"))))
      .onFailure(failure -> {
        LOG.info("Waiting for the persistence verticle: {}", failure.getMessage());
        vertx.setTimer(RETRY_MS, id -> keepLoading(vertx, bus, loaded));
      })
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }
}

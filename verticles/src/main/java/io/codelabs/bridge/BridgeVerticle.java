package io.codelabs.bridge;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.SharedConfig;
import io.codelabs.connections.ConnectionGuard;
import io.codelabs.connections.ConnectionLimits;
import io.codelabs.tokens.Revocations;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime bridge: SockJS sockets speaking the Vert.x event-bus bridge protocol (so browsers
 * and scripts use the standard client unchanged), authenticated with the API's tokens, deny by
 * default, with the sender's identity stamped onto every command. Each socket's frames are handled
 * one after the other, so its commands apply in the order it sent them.
 */
public final class BridgeVerticle extends VerticleBase {
  public static final String PORT = SharedConfig.BRIDGE_PORT;
  public static final String HOST = "bridge.host";
  public static final String ALLOWED_ORIGINS = "bridge.allowedOrigins";
  public static final String MAX_HANDLERS = "bridge.maxHandlers";
  public static final String MAX_ADDRESS_LENGTH = "bridge.maxAddressLength";
  public static final String MAX_PAYLOAD = "bridge.maxPayloadBytes";
  public static final String PING_TIMEOUT_MS = "bridge.pingTimeoutMs";
  public static final String RATE = "bridge.messagesPerSecond";
  public static final String BURST = "bridge.burst";
  public static final String WRITE_QUEUE_BYTES = "bridge.writeQueueBytes";
  public static final String HEARTBEAT_MS = "bridge.presenceHeartbeatMs";
  public static final String DASHBOARD_MS = "bridge.dashboardIntervalMs";
  public static final String PATH = SharedConfig.BRIDGE_PATH;
  /** Prefix of this server's connection limits, see {@link ConnectionLimits}. */
  public static final String LIMITS = "bridge.";

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  private static final int MAX_QUEUED_FRAMES = 64;
  private static final String NOT_LOGGED_IN = "not_logged_in";
  private static final String SESSION_ENDED = "session_ended";
  private static final String ACCESS_DENIED = "access_denied";
  private static final String CREDENTIAL = "codelabs.credential";
  /** Served by this node, never a CDN: venues are often offline, and the iframe runs only scripts from here. */
  private static final String SOCKJS_CLIENT_DIR = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";
  private static final String SOCKJS_CLIENT_PATH = "/vendor/sockjs";
  static final String SOCKJS_CLIENT = SOCKJS_CLIENT_PATH + "/sockjs.min.js";
  /**
   * For SockJS's iframe.html, the only page the bridge serves: the client library from here and the
   * page's one fixed inline script (SockJS.bootstrap_iframe), by its hash. The transports whose pages
   * carry per-request inline scripts (htmlfile, jsonp) are turned off.
   */
  static final String PAGE_POLICY = "default-src 'none'; script-src 'self' "
    + "'sha256-lYmFXEsqdsgpRcqXPmVFJyV4CiaTNuS5IK/HjT7/fdk='; connect-src 'self'; base-uri 'none'; form-action 'none'";
  /**
   * XHR transports post frames as a JSON array of JSON strings: escaping may double a frame, and
   * the client batches what it queued while a post was under way.
   */
  private static final int POSTED_FRAMES_PER_BODY = 4;

  private BusClient bus;
  private volatile Tokens tokens;
  private Topics topics;
  private CommandRules rules;
  private final Permissions permissions = new Permissions();
  private final Set<Session> sessions = new HashSet<>();
  /** Codelabs whose dashboard someone on this node watches, with one of the watchers to ask as. */
  private final Map<String, Actor> dashboards = new HashMap<>();
  private final String nodeId = UUID.randomUUID().toString();
  private HttpServer server;

  @Override
  public Future<?> start() {
    bus = new BusClient(vertx, config().getLong(BusClient.TIMEOUT_KEY, BusClient.DEFAULT_TIMEOUT_MS));
    topics = new Topics(vertx.eventBus());
    int maxPayload = config().getInteger(MAX_PAYLOAD, 16 * 1024);
    long pingTimeoutMs = config().getLong(PING_TIMEOUT_MS, 60_000L);
    Router router = Router.router(vertx);
    router.get(SOCKJS_CLIENT_PATH + "/*").handler(StaticHandler.create(SOCKJS_CLIENT_DIR).setCachingEnabled(true));
    router.route(PATH + "/*").handler(ctx -> {
      ctx.put(CREDENTIAL, credential(ctx.request()));
      ctx.response().putHeader("Content-Security-Policy", PAGE_POLICY).putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.post(PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(2L * maxPayload * POSTED_FRAMES_PER_BODY));
    router.route(PATH + "/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions()
        .setHeartbeatInterval(25_000)
        .setMaxBytesStreaming(128 * 1024)
        .setLibraryURL(SOCKJS_CLIENT)
        .addDisabledTransport(Transport.HTML_FILE.name())
        .addDisabledTransport(Transport.JSON_P.name())
        .setRegisterWriteHandler(false))
      .socketHandler(this::accept));
    vertx.setPeriodic(pingTimeoutMs / 2, id -> closeSilent(pingTimeoutMs));
    long heartbeatMs = config().getLong(HEARTBEAT_MS, 10_000L);
    vertx.setPeriodic(heartbeatMs, id -> heartbeat(heartbeatMs, false));
    vertx.setPeriodic(config().getLong(DASHBOARD_MS, 2_000L), id -> refreshDashboards());
    Revocations revocations = new Revocations(config().getInteger(Tokens.MAX_REVOKED, Tokens.DEFAULT_MAX_REVOKED));
    return CommandRules.load(vertx)
      .onSuccess(loaded -> rules = loaded)
      .compose(loaded -> revocations.follow(vertx, changed -> closeRevoked()))
      .compose(following -> Tokens.keepLoading(vertx, bus, revocations, loaded -> tokens = loaded))
      .compose(v -> {
        ConnectionGuard guard = new ConnectionGuard(vertx, "bridge",
          ConnectionLimits.read(config(), LIMITS, ConnectionLimits.BRIDGE), request -> false);
        return guard.install(vertx.createHttpServer(guard.options(new HttpServerOptions()
            .setMaxWebSocketFrameSize(maxPayload)
            .setMaxWebSocketMessageSize(maxPayload)
            // Deflating each frame once per socket would undo encoding it once for all; events are small.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false))), router)
          .listen(config().getInteger(PORT, 8081), config().getString(HOST, "0.0.0.0"));
      })
      .onSuccess(listening -> {
        server = listening;
        LOG.info("Realtime bridge listening on port {}", listening.actualPort());
      });
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Tells the writer this node's sockets are gone, so its attendees show offline at once. */
  @Override
  public Future<?> stop() {
    return heartbeat(config().getLong(HEARTBEAT_MS, 10_000L), true).otherwiseEmpty();
  }

  /** Keeps this node's presence rows alive; rows of nodes silent for 3.5 beats are swept. */
  private Future<JsonObject> heartbeat(long intervalMs, boolean gone) {
    return bus.request(Address.PRESENCE_HEARTBEAT, new JsonObject().put("nodeId", nodeId).put("gone", gone)
        .put("expiryMs", intervalMs * 7 / 2))
      .onFailure(failure -> LOG.debug("Presence heartbeat failed: {}", failure.getMessage()));
  }

  private void presence(Session session, int delta) {
    if (!session.actor.isFacilitator()) {
      bus.request(Address.PRESENCE_UPDATE, session.actor, new JsonObject().put("nodeId", nodeId).put("delta", delta))
        .onFailure(failure -> LOG.warn("Presence of {} not recorded: {}", session.actor.id(), failure.getMessage()));
    }
  }

  private void refreshDashboards() {
    dashboards.entrySet().removeIf(entry -> !topics.has(Address.DASHBOARD_EVENTS.of(entry.getKey())));
    dashboards.forEach((codelabId, viewer) -> dashboard(codelabId, viewer)
      .onSuccess(snapshot -> topics.fanOut(Address.DASHBOARD_EVENTS.of(codelabId), snapshot)));
  }

  private Future<JsonObject> dashboard(String codelabId, Actor viewer) {
    return bus.request(Address.DASHBOARD_GET, viewer, new JsonObject().put("codelabId", codelabId))
      .onFailure(failure -> LOG.debug("Dashboard of {} not computed: {}", codelabId, failure.getMessage()));
  }

  private void accept(SockJSSocket socket) {
    socket.pause();
    if (!originAllowed(socket.headers())) {
      socket.close(4003, "origin not allowed");
      return;
    }
    String token = socket.routingContext().get(CREDENTIAL);
    Tokens verifier = tokens;
    if (token == null || verifier == null) {
      refuse(socket);
      return;
    }
    verifier.claims(token).onComplete(claims -> open(socket, claims), failure -> refuse(socket));
  }

  /** A revoked session or account loses its open sockets at once, on every node. */
  private void closeRevoked() {
    Tokens verifier = tokens;
    if (verifier == null) {
      return;
    }
    List.copyOf(sessions).stream().filter(session -> verifier.revoked(session.claims)).forEach(session -> {
      session.send(new JsonObject().put("type", "err").put("body", SESSION_ENDED));
      session.close(4001, SESSION_ENDED);
      closed(session);
    });
  }

  private void open(SockJSSocket socket, JsonObject claims) {
    Session session = new Session(socket, claims, config().getDouble(RATE, 20.0), config().getDouble(BURST, 40.0));
    socket.setWriteQueueMaxSize(config().getInteger(WRITE_QUEUE_BYTES, 256 * 1024));
    sessions.add(session);
    presence(session, 1);
    socket.handler(data -> {
      if (isPing(data)) {
        session.lastPingNanos = System.nanoTime();
      } else if (!session.enqueue(data, MAX_QUEUED_FRAMES)) {
        session.close(4029, "too many frames waiting");
      } else if (!session.handling) {
        drain(session);
      }
    });
    socket.endHandler(v -> closed(session));
    socket.exceptionHandler(e -> closed(session));
    socket.resume();
  }

  /** One frame at a time per socket, so a socket's commands apply in the order it sent them. */
  private void drain(Session session) {
    Buffer next = session.pending.poll();
    session.handling = next != null && !session.closed();
    if (session.handling) {
      handleSafely(session, next).onComplete(done -> drain(session));
    }
  }

  /** Whatever one frame does wrong, the socket's next frames must still be handled. */
  private Future<?> handleSafely(Session session, Buffer frame) {
    try {
      return handle(session, frame);
    } catch (RuntimeException e) {
      LOG.error("Frame from {} failed", session.actor.id(), e);
      session.error("internal_error");
      return Future.succeededFuture();
    }
  }

  private static boolean isPing(Buffer data) {
    return data.length() < 40 && data.toString().replace(" ", "").equals("{\"type\":\"ping\"}");
  }

  private Future<?> handle(Session session, Buffer data) {
    if (data.length() > config().getInteger(MAX_PAYLOAD, 16 * 1024)) {
      session.error("payload_too_large");
      return Future.succeededFuture();
    }
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      session.error("invalid_json");
      return Future.succeededFuture();
    }
    String type = frame.getString("type");
    String address = frame.getString("address");
    if (type == null) {
      session.error("missing_type");
    } else if (type.equals("ping")) {
      session.lastPingNanos = System.nanoTime();
    } else if (address == null) {
      session.error("missing_address");
    } else if (!session.admit()) {
      reject(session, frame, ErrorCode.RATE_LIMITED, "rate_limited");
    } else if (address.length() > config().getInteger(MAX_ADDRESS_LENGTH, 200)) {
      reject(session, frame, ErrorCode.INVALID, "address_too_long");
    } else {
      return switch (type) {
        case "register" -> register(session, address);
        case "unregister" -> {
          session.addresses.remove(address);
          topics.unsubscribe(address, session);
          yield Future.succeededFuture();
        }
        case "send" -> send(session, address, frame);
        case "publish" -> {
          reject(session, frame, ErrorCode.FORBIDDEN, ACCESS_DENIED);
          yield Future.succeededFuture();
        }
        default -> {
          session.error("invalid_type");
          yield Future.succeededFuture();
        }
      };
    }
    return Future.succeededFuture();
  }

  private Future<?> register(Session session, String address) {
    if (session.addresses.contains(address)) {
      return Future.succeededFuture();
    }
    if (session.addresses.size() >= config().getInteger(MAX_HANDLERS, 16)) {
      session.error("max_handlers_reached");
      return Future.succeededFuture();
    }
    Permissions.Subscription subscription = permissions.subscription(session.actor, address).orElse(null);
    if (subscription == null) {
      denied(session, address);
      return Future.succeededFuture();
    }
    Future<Boolean> allowed = session.actor.isFacilitator()
      ? facilitates(session, subscription.codelabId())
      : Future.succeededFuture(true);
    return allowed.<Object>compose(ok -> {
      if (!ok || session.closed()) {
        denied(session, address);
        return Future.succeededFuture();
      }
      session.addresses.add(address);
      Future<Void> subscribed = topics.subscribe(address, session);
      if (subscription.address() != Address.DASHBOARD_EVENTS) {
        return subscribed.mapEmpty();
      }
      dashboards.putIfAbsent(subscription.codelabId(), session.actor);
      return subscribed.compose(v -> dashboard(subscription.codelabId(), session.actor))
        .onSuccess(snapshot -> session.deliver(Topics.frame(address, snapshot)))
        .mapEmpty();
    });
  }

  /** Asked once per socket and codelab; a failed check (writer away) is asked again next time. */
  private Future<Boolean> facilitates(Session session, String codelabId) {
    return session.facilitates.computeIfAbsent(codelabId, id -> bus
      .request(Address.ACCESS_CHECK, session.actor, new JsonObject().put("codelabId", id))
      .map(reply -> reply.getString("access").equals("owner") || reply.getString("access").equals("assistant"))
      .onFailure(failure -> session.facilitates.remove(id))
      .otherwise(false));
  }

  private Future<?> send(Session session, String address, JsonObject frame) {
    Address command = permissions.command(session.actor, address).orElse(null);
    Object body = frame.getValue("body");
    if (command == null) {
      reject(session, frame, ErrorCode.FORBIDDEN, ACCESS_DENIED);
      return Future.succeededFuture();
    }
    if (!(body instanceof JsonObject json)) {
      reject(session, frame, ErrorCode.INVALID, "body must be a JSON object");
      return Future.succeededFuture();
    }
    JsonObject stamped = json.copy();
    stamped.remove("actor");
    if (!session.actor.isFacilitator()) {
      stamped.put("codelabId", session.actor.codelabId());
    }
    try {
      rules.check(command, stamped);
    } catch (BusFailure invalid) {
      reject(session, frame, invalid.code, invalid.getMessage());
      return Future.succeededFuture();
    }
    String replyAddress = frame.getString("replyAddress");
    return bus.request(command, session.actor, stamped).andThen(result -> {
      if (replyAddress == null) {
        return;
      }
      if (result.succeeded()) {
        session.send(new JsonObject().put("type", "rec").put("address", replyAddress).put("body", result.result()));
      } else {
        ErrorCode code = ErrorCode.of(result.cause());
        session.send(failure(replyAddress, code, result.cause().getMessage()));
      }
    });
  }

  /** The generic error frame, also addressed to the reply address so the client's callback fires. */
  private static void reject(Session session, JsonObject frame, ErrorCode code, String reason) {
    String replyAddress = frame.getString("replyAddress");
    session.send(failure(replyAddress, code, reason).put("body", reason));
  }

  private static JsonObject failure(String replyAddress, ErrorCode code, String message) {
    return new JsonObject().put("type", "err").put("address", replyAddress).put("failureCode", code.code)
      .put("failureType", "RECIPIENT_FAILURE").put("message", message);
  }

  private static void denied(Session session, String address) {
    session.send(new JsonObject().put("type", "err").put("body", ACCESS_DENIED).put("address", address));
  }

  private static void refuse(SockJSSocket socket) {
    socket.write(new JsonObject().put("type", "err").put("body", NOT_LOGGED_IN).toBuffer());
    socket.close(4001, NOT_LOGGED_IN);
  }

  private void closed(Session session) {
    if (sessions.remove(session)) {
      session.addresses.forEach(address -> topics.unsubscribe(address, session));
      session.addresses.clear();
      presence(session, -1);
    }
  }

  /** Half-open connections (a laptop lid closed mid-session) are found by their missing pings. */
  private void closeSilent(long pingTimeoutMs) {
    long cutoff = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(pingTimeoutMs);
    List.copyOf(sessions).stream().filter(s -> s.lastPingNanos < cutoff).forEach(s -> {
      s.close(4000, "no ping");
      closed(s);
    });
  }

  /**
   * Bearer header for scripts; otherwise the browser's cookie (the attendee's when asked with
   * ?as=attendee). Read before SockJS takes the request: it strips cookies from the headers.
   */
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

  /**
   * Browsers always send Origin on these requests: it must be one of the configured origins, else the public URL's,
   * else exactly the API's own origin on the host the socket came to, or the bridge's own (SockJS's iframe transports
   * run in a page the bridge serves); not any port of that host: another service on it must not ride on the
   * attendee's cookie. Scripts send none and need a token.
   */
  private boolean originAllowed(MultiMap headers) {
    String origin = headers.get("Origin");
    if (origin == null) {
      return true;
    }
    String configured = config().getString(ALLOWED_ORIGINS, "");
    if (!configured.isBlank()) {
      return Arrays.stream(configured.split(",")).map(String::strip).anyMatch(origin::equals);
    }
    String publicUrl = config().getString(SharedConfig.PUBLIC_URL, "");
    if (!publicUrl.isBlank()) {
      URI page = URI.create(publicUrl);
      return origin.equals(page.getScheme() + "://" + page.getRawAuthority());
    }
    String host = headers.get("Host");
    try {
      URI page = URI.create(origin);
      int port = page.getPort() == -1 ? 80 : page.getPort();
      return host != null && "http".equals(page.getScheme()) && page.getRawPath().isEmpty() && page.getHost() != null
        && page.getHost().equalsIgnoreCase(URI.create("http://" + host).getHost())
        && (port == server.actualPort() || vertx.sharedData().getLocalMap(SharedConfig.API_PORTS).containsKey(port));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

}

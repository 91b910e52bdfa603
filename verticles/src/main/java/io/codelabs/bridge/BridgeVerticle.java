package io.codelabs.bridge;

import io.codelabs.bus.BusClient;
import io.codelabs.bus.SharedConfig;
import io.codelabs.connections.ConnectionGuard;
import io.codelabs.connections.ConnectionLimits;
import io.codelabs.metrics.BridgeMeters;
import io.codelabs.metrics.Meters;
import io.codelabs.tokens.ApiKeys;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime bridge: SockJS sockets speaking the Vert.x event-bus bridge protocol (so browsers
 * and scripts use the standard client unchanged), authenticated with the API's tokens, and the same
 * frames over plain TCP sockets for services ({@link TcpBridge}). It serves the sockets of both and
 * keeps track of them; the {@link FrameProtocol} handles what they send, the
 * {@link Handshake} and the {@link Origins} decide who may open one, the {@link Presence} and the
 * {@link DashboardFeed} keep the writer and the dashboards told.
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
  /** The TCP bridge's port; negative: no TCP bridge. */
  public static final String TCP_PORT = "tcpBridge.port";
  public static final String TCP_HOST = "tcpBridge.host";
  /** A PKCS#12 (or .jks) key store: TLS with its key and certificate. */
  public static final String TCP_KEY_STORE = "tcpBridge.tls.keyStore";
  public static final String TCP_KEY_STORE_PASSWORD = "tcpBridge.tls.keyStorePassword";
  /** Or PEM files: TLS with this certificate (chain) and key. */
  public static final String TCP_CERT = "tcpBridge.tls.certPath";
  public static final String TCP_KEY = "tcpBridge.tls.keyPath";
  /** Prefix of the TCP bridge's connection limits. */
  public static final String TCP_LIMITS = "tcpBridge.";

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  private static final String SESSION_ENDED = "session_ended";
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

  private final Handshake handshake = new Handshake();
  private final Set<Session> sessions = new HashSet<>();
  private Origins origins;
  private Presence presence;
  private FrameProtocol frames;
  private BridgeMeters meters;
  private HttpServer server;
  private NetServer tcpServer;

  @Override
  public Future<?> start() {
    BusClient bus = new BusClient(vertx, config().getLong(BusClient.TIMEOUT_KEY));
    meters = Meters.of(vertx).bridge;
    Topics topics = new Topics(vertx.eventBus(), meters);
    DashboardFeed dashboards = new DashboardFeed(bus, topics);
    origins = new Origins(vertx, config(), () -> server.actualPort());
    presence = new Presence(bus, config().getLong(HEARTBEAT_MS, 10_000L));
    int maxPayload = config().getInteger(MAX_PAYLOAD);
    long pingTimeoutMs = config().getLong(PING_TIMEOUT_MS);
    Router router = Router.router(vertx);
    router.get(SOCKJS_CLIENT_PATH + "/*").handler(StaticHandler.create(SOCKJS_CLIENT_DIR).setCachingEnabled(true));
    router.route(PATH + "/*").handler(ctx -> {
      Handshake.capture(ctx);
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
    vertx.setPeriodic(pingTimeoutMs / 2, id -> sweep(pingTimeoutMs));
    presence.start(vertx);
    dashboards.start(vertx, config().getLong(DASHBOARD_MS, 2_000L));
    return CommandRules.load(vertx)
      .onSuccess(rules -> frames = new FrameProtocol(bus, topics, new Permissions(), rules, dashboards, meters,
        config().getInteger(MAX_ADDRESS_LENGTH, 200), config().getInteger(MAX_HANDLERS)))
      .compose(rules -> handshake.start(vertx, bus, config().getInteger(Tokens.MAX_REVOKED),
        config().getInteger(ApiKeys.CACHE_SIZE), this::closeRevoked))
      .compose(v -> {
        ConnectionGuard guard = new ConnectionGuard(vertx, "bridge",
          ConnectionLimits.read(config(), LIMITS, ConnectionLimits.BRIDGE), request -> false);
        return guard.install(vertx.createHttpServer(guard.options(new HttpServerOptions()
            .setMaxWebSocketFrameSize(maxPayload)
            .setMaxWebSocketMessageSize(maxPayload)
            // Deflating each frame once per socket would undo encoding it once for all; events are small.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false))), router)
          .listen(config().getInteger(PORT), config().getString(HOST));
      })
      .onSuccess(listening -> {
        server = listening;
        LOG.info("Realtime bridge listening on port {}", listening.actualPort());
      })
      .compose(listening -> listenTcp());
  }

  private Future<?> listenTcp() {
    if (config().getInteger(TCP_PORT, -1) < 0) {
      return Future.succeededFuture();
    }
    TcpBridge tcp = new TcpBridge(vertx, config(), handshake, this::open, this::closed);
    return tcp.listen().onSuccess(listening -> {
      tcpServer = listening;
      LOG.info("TCP event-bus bridge listening on port {}{}", listening.actualPort(), tcp.tls() ? " (TLS)" : "");
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The TCP bridge's port, or -1 when this node has none. */
  public int tcpPort() {
    return tcpServer == null ? -1 : tcpServer.actualPort();
  }

  @Override
  public Future<?> stop() {
    return presence.gone().otherwiseEmpty();
  }

  private void accept(SockJSSocket socket) {
    socket.pause();
    // The handshake request's own headers: SockJS's headers() would keep a filtered copy for the socket's lifetime.
    if (!origins.allowed(socket.routingContext().request().headers())) {
      socket.close(4003, "origin not allowed");
      return;
    }
    dropUpgradeHeaders(socket);
    handshake.claims(socket).onComplete(claims -> {
      Session session = open(new SockJSWire(socket, config().getInteger(MAX_PAYLOAD)), claims);
      socket.endHandler(v -> closed(session));
      socket.exceptionHandler(e -> closed(session));
      socket.resume();
    }, failure -> Handshake.refuse(socket));
  }

  /**
   * SockJS keeps a WebSocket's handshake context as long as the socket lives, though once upgraded its headers are
   * read by nobody: they were 2 KB of the 19 KB of heap an attendee kept.
   */
  private static void dropUpgradeHeaders(SockJSSocket socket) {
    HttpServerRequest handshake = socket.routingContext().request();
    if ("websocket".equalsIgnoreCase(handshake.getHeader(HttpHeaders.UPGRADE))) {
      handshake.headers().clear();
      socket.routingContext().response().headers().clear();
    }
  }

  /** A verified connection of either kind: counted in presence, its frames handled; its owner reports its end. */
  private Session open(Wire wire, JsonObject claims) {
    Session session = new Session(wire, claims, config().getDouble(RATE), config().getDouble(BURST));
    wire.setWriteQueueMaxSize(config().getInteger(WRITE_QUEUE_BYTES, 256 * 1024));
    sessions.add(session);
    meters.opened(wire.transport(), attendeeId(session));
    presence.opened(session);
    frames.read(session);
    return session;
  }

  /** A revoked session or account loses its open sockets at once, on every node. */
  private void closeRevoked() {
    List.copyOf(sessions).stream().filter(session -> handshake.revoked(session.claims)).forEach(this::endSession);
  }

  private void endSession(Session session) {
    session.send(new JsonObject().put("type", "err").put("body", SESSION_ENDED));
    session.close(4001, SESSION_ENDED);
    closed(session);
  }

  private void closed(Session session) {
    if (sessions.remove(session)) {
      meters.closed(session.wire.transport(), attendeeId(session));
      frames.unsubscribeAll(session);
      presence.closed(session);
    }
  }

  private static String attendeeId(Session session) {
    return session.actor.isFacilitator() ? null : session.actor.id();
  }

  /**
   * Half-open connections (a laptop lid closed mid-session) are found by their missing pings; a socket outlives
   * its token by one sweep at most, and its client signs in or joins again.
   */
  private void sweep(long pingTimeoutMs) {
    long cutoff = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(pingTimeoutMs);
    long nowSeconds = System.currentTimeMillis() / 1000;
    for (Session session : List.copyOf(sessions)) {
      if (session.lastPingNanos < cutoff) {
        session.close(4000, "no ping");
        closed(session);
      } else if (session.claims.getValue("exp") instanceof Number expiry && expiry.longValue() <= nowSeconds) {
        endSession(session);
      }
    }
  }
}

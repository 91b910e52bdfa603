package io.codelabs.bridge;

import io.codelabs.connections.ConnectionLimits;
import io.codelabs.connections.SocketGuard;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The bridge for services rather than browsers: a TCP socket (TLS when configured) in the wire format of Vert.x's
 * TCP event-bus bridge, carrying the same frames, permissions and limits as the SockJS sockets. The first frame
 * carries the credential in {@code headers.Authorization} ("Bearer ..."); nothing is handled before it is verified,
 * then that frame is handled like any other. A missing or bad credential gets an error frame and the socket closes.
 */
final class TcpBridge {
  private static final String NOT_LOGGED_IN = "not_logged_in";
  /** Frames a client may send while its first frame's credential is being verified. */
  private static final int MAX_EARLY_FRAMES = 16;

  private final Vertx vertx;
  private final JsonObject config;
  private final Handshake handshake;
  private final BiFunction<Wire, JsonObject, Session> open;
  private final Consumer<Session> closed;
  private final int maxFrame;
  private SocketGuard guard;

  TcpBridge(Vertx vertx, JsonObject config, Handshake handshake, BiFunction<Wire, JsonObject, Session> open,
            Consumer<Session> closed) {
    this.vertx = vertx;
    this.config = config;
    this.handshake = handshake;
    this.open = open;
    this.closed = closed;
    this.maxFrame = config.getInteger(BridgeVerticle.MAX_PAYLOAD);
  }

  Future<NetServer> listen() {
    guard = new SocketGuard(vertx, "tcpBridge",
      ConnectionLimits.read(config, BridgeVerticle.TCP_LIMITS, ConnectionLimits.TCP_BRIDGE));
    return guard.install(vertx.createNetServer(tls(guard.options(new NetServerOptions()))), this::accept)
      .listen(config.getInteger(BridgeVerticle.TCP_PORT), config.getString(BridgeVerticle.TCP_HOST));
  }

  boolean tls() {
    return !config.getString(BridgeVerticle.TCP_KEY_STORE, "").isEmpty()
      || !config.getString(BridgeVerticle.TCP_CERT, "").isEmpty();
  }

  private NetServerOptions tls(NetServerOptions options) {
    String keyStore = config.getString(BridgeVerticle.TCP_KEY_STORE, "");
    if (!keyStore.isEmpty()) {
      String type = keyStore.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
      return options.setSsl(true).setKeyCertOptions(new KeyStoreOptions().setType(type).setPath(keyStore)
        .setPassword(config.getString(BridgeVerticle.TCP_KEY_STORE_PASSWORD, "")));
    }
    String cert = config.getString(BridgeVerticle.TCP_CERT, "");
    if (!cert.isEmpty()) {
      return options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert)
        .setKeyPath(config.getString(BridgeVerticle.TCP_KEY, "")));
    }
    return options;
  }

  private void accept(NetSocket socket) {
    new Connection(socket).start();
  }

  /** One TCP socket, from its first frame until it closes. */
  private final class Connection {
    private final NetSocket socket;
    private final NetWire wire;
    private final List<AsyncResult<JsonObject>> early = new ArrayList<>();
    private Session session;
    private boolean refused;
    private boolean ended;

    Connection(NetSocket socket) {
      this.socket = socket;
      this.wire = new NetWire(socket);
    }

    void start() {
      FrameParser parser = new FrameParser(wire::received);
      socket.handler(new FrameLengths(maxFrame, data -> parse(parser, data), this::tooLong));
      socket.endHandler(v -> end());
      socket.exceptionHandler(e -> socket.close());
      wire.frames(this::first);
    }

    /** The parser keeps no consistent state after a frame it could not read: the socket is closed. */
    private void parse(FrameParser parser, Buffer data) {
      try {
        parser.handle(data);
      } catch (RuntimeException e) {
        refuse("invalid_frame");
      }
    }

    private void tooLong() {
      refuse("payload_too_large");
    }

    private void first(AsyncResult<JsonObject> frame) {
      if (refused) {
        return;
      }
      if (!early.isEmpty()) {
        if (early.size() >= MAX_EARLY_FRAMES) {
          refuse("too many frames waiting");
        } else {
          early.add(frame);
        }
        return;
      }
      early.add(frame);
      String credential = frame.succeeded() ? credential(frame.result()) : null;
      if (credential == null) {
        refuse(NOT_LOGGED_IN);
        return;
      }
      handshake.claims(credential).onComplete(this::opened, failure -> refuse(NOT_LOGGED_IN));
    }

    private void opened(JsonObject claims) {
      if (ended || refused) {
        return;
      }
      guard.admitted(socket);
      session = open.apply(wire, claims);
      early.forEach(wire::received);
      early.clear();
    }

    private void end() {
      ended = true;
      if (session != null) {
        closed.accept(session);
      }
    }

    /** Told once; whatever the socket sent after is not handled. */
    private void refuse(String reason) {
      if (!ended && !refused) {
        refused = true;
        wire.send(new JsonObject().put("type", "err").put("body", reason));
        socket.close();
      }
    }
  }

  /** The token or API key of a frame's {@code headers.Authorization}, or null. */
  static String credential(JsonObject frame) {
    if (!(frame.getValue("headers") instanceof JsonObject headers)) {
      return null;
    }
    for (String name : headers.fieldNames()) {
      if (name.equalsIgnoreCase("Authorization") && headers.getValue(name) instanceof String value
        && value.regionMatches(true, 0, "Bearer ", 0, 7) && !value.substring(7).isBlank()) {
        return value.substring(7).trim();
      }
    }
    return null;
  }
}

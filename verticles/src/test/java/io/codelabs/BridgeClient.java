package io.codelabs;

import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A script-side realtime client speaking the event-bus bridge frames, as an integrator's client would: over
 * SockJS's raw WebSocket endpoint (JSON in binary messages) or over the TCP bridge (length-prefixed JSON, the
 * credential in the first frame's headers).
 * <p>
 * SockJS sockets are the JDK's: their listener is in place before the handshake's answer is read. Vert.x's client
 * drops the messages that come in the same read as that answer when a close follows them, as the bridge's refusal of a
 * handshake does, so a test would miss the refusal's reason once in a few thousand handshakes.
 */
public final class BridgeClient {
  /** The two ways in; the same frames and rules apply to both. */
  public enum Transport { SOCKJS, TCP }

  /** One client of each transport, kept for a test's lifetime (an unreferenced client gets closed). */
  public record Clients(Sockets web, NetClient tcp) {
    public static Clients of(Vertx vertx) {
      return new Clients(client(vertx), vertx.createNetClient());
    }

    public Future<BridgeClient> connect(Transport transport, Node node, String token) {
      return transport == Transport.SOCKJS
        ? BridgeClient.connect(web, node.bridgePort, token)
        : BridgeClient.connectTcp(tcp, node.tcpBridgePort, token);
    }

    public BridgeClient listening(Transport transport, Node node, String token, String codelabId,
                                  String... addresses) {
      return BridgeClient.listening(connect(transport, node, token).await(), codelabId, addresses);
    }
  }

  /** SockJS sockets opened through one JDK client; closing it closes those still open. */
  public static final class Sockets {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Vertx vertx;
    private final Set<BridgeClient> open = ConcurrentHashMap.newKeySet();

    private Sockets(Vertx vertx) {
      this.vertx = vertx;
    }

    public Future<Void> close() {
      return Future.all(open.stream().map(BridgeClient::close).toList()).mapEmpty();
    }
  }

  /** Vert.x's own client waits as long for a handshake's answer. */
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
  /** As long as Vert.x's own client waits for the server's answer to its close before it drops the connection. */
  private static final long CLOSING_TIMEOUT_MS = 10_000;
  /** What a browser reports for a connection lost without a close frame. */
  private static final short ABNORMAL_CLOSURE = 1006;

  private final Transport transport;
  private final Vertx vertx;
  private volatile WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private final NetSocket tcp;
  private final List<JsonObject> frames = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Short> closed = Promise.promise();
  private Predicate<JsonObject> taker = frame -> false;
  /** What the server did wrong: every wait, now and later, fails with it, so the test fails instead of hanging. */
  private Throwable broken;

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  private BridgeClient(Vertx vertx) {
    this.transport = Transport.SOCKJS;
    this.vertx = vertx;
    this.tcp = null;
  }

  /** Whole messages, in order: the JDK calls a socket's listener one call at a time. */
  private final class Listener implements WebSocket.Listener {
    private Buffer message = Buffer.buffer();

    @Override
    public void onOpen(WebSocket opened) {
      socket = opened;
      opened.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      return part(Buffer.buffer(data.toString()), last);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return part(Buffer.buffer(bytes), last);
    }

    /** A message may come in parts when the server splits a large reply; it is read once whole. */
    private CompletionStage<?> part(Buffer data, boolean last) {
      message.appendBuffer(data);
      if (last) {
        Buffer whole = message;
        message = Buffer.buffer();
        received(new JsonObject(whole));
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.tryComplete((short) statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.tryComplete(ABNORMAL_CLOSURE);
    }
  }

  private BridgeClient(NetSocket tcp) {
    this.transport = Transport.TCP;
    this.vertx = null;
    this.tcp = tcp;
    tcp.handler(new FrameParser(frame -> {
      if (frame.succeeded()) {
        receivedOverTcp(frame.result());
      } else {
        broken(frame.cause());
      }
    }));
    tcp.closeHandler(v -> closed.tryComplete(null));
  }

  /**
   * Connects to the TCP bridge and sends the first frame, a ping carrying the token (none: no headers), so the
   * bridge verifies it at once as the SockJS handshake does.
   */
  public static Future<BridgeClient> connectTcp(NetClient client, int port, String token) {
    return client.connect(port, "127.0.0.1").map(socket -> {
      BridgeClient bridge = new BridgeClient(socket);
      JsonObject first = new JsonObject().put("type", "ping");
      if (token != null) {
        first.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
      }
      bridge.write(first);
      return bridge;
    });
  }

  public Transport transport() {
    return transport;
  }

  /** Connects with a Bearer token (or none), plus any handshake headers such as Origin or Cookie. */
  public static Future<BridgeClient> connect(Sockets sockets, int port, String token, MultiMap headers) {
    return connect(sockets, port, "/eventbus/websocket", token, headers);
  }

  public static Future<BridgeClient> connect(Sockets sockets, int port, String uri, String token, MultiMap headers) {
    WebSocket.Builder handshake = sockets.http.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT);
    headers.forEach(handshake::header);
    if (token != null) {
      handshake.header("Authorization", "Bearer " + token);
    }
    BridgeClient bridge = new BridgeClient(sockets.vertx);
    return Future.fromCompletionStage(handshake.buildAsync(URI.create("ws://127.0.0.1:" + port + uri),
      bridge.new Listener())).map(opened -> {
        sockets.open.add(bridge);
        bridge.closed.future().onComplete(closed -> sockets.open.remove(bridge));
        return bridge;
      });
  }

  public static Future<BridgeClient> connect(Sockets sockets, int port, String token) {
    return connect(sockets, port, token, MultiMap.caseInsensitiveMultiMap());
  }

  /**
   * Connects and registers the addresses, then waits for a replay of the codelab's events: the bridge answers
   * frames in order, so once the replay is answered every registration is in place and no later event is missed.
   */
  public static BridgeClient listening(Sockets client, int port, String token, String codelabId,
                                       String... addresses) {
    return listening(connect(client, port, token).await(), codelabId, addresses);
  }

  private static BridgeClient listening(BridgeClient socket, String codelabId, String... addresses) {
    for (String address : addresses) {
      socket.register(address);
    }
    socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0)).await();
    return socket;
  }

  public static Sockets client(Vertx vertx) {
    return new Sockets(vertx);
  }

  public void register(String address) {
    write(new JsonObject().put("type", "register").put("address", address));
  }

  public void publish(String address, JsonObject body) {
    write(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  /** Sends a command and answers with the reply frame: {@code rec} with a body, or {@code err}. */
  public Future<JsonObject> request(String address, JsonObject body) {
    String replyAddress = UUID.randomUUID().toString();
    Future<JsonObject> reply = next(frame -> replyAddress.equals(frame.getString("address")));
    write(new JsonObject().put("type", "send").put("address", address).put("body", body)
      .put("replyAddress", replyAddress));
    return reply;
  }

  public void write(JsonObject frame) {
    if (tcp != null) {
      FrameHelper.writeFrame(frame, tcp);
    } else {
      send(opened -> opened.sendBinary(ByteBuffer.wrap(frame.toBuffer().getBytes()), true));
    }
  }

  public void writeRaw(String text) {
    if (tcp != null) {
      Buffer bytes = Buffer.buffer(text);
      tcp.write(Buffer.buffer().appendInt(bytes.length()).appendBuffer(bytes));
    } else {
      send(opened -> opened.sendText(text, true));
    }
  }

  /** The JDK's socket takes one message at a time: each waits for the one before, sent or failed. */
  private synchronized void send(Function<WebSocket, CompletableFuture<WebSocket>> message) {
    sending = sending.handle((sent, failure) -> socket).thenCompose(message);
  }

  /** The first frame, received already or to come, that matches; it is taken from the unmatched ones. */
  public synchronized Future<JsonObject> next(Predicate<JsonObject> match) {
    if (broken != null) {
      return Future.failedFuture(broken);
    }
    for (Iterator<JsonObject> it = frames.iterator(); it.hasNext(); ) {
      JsonObject frame = it.next();
      if (match.test(frame)) {
        it.remove();
        return Future.succeededFuture(frame);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  /** Frames the taker accepts go to it as they come, and are neither kept nor matched by {@link #next}. */
  public synchronized void take(Predicate<JsonObject> taker) {
    this.taker = taker;
  }

  /** Frames received and not yet taken by {@link #next}. */
  public synchronized List<JsonObject> unmatched() {
    return List.copyOf(frames);
  }

  /** Bytes as they are, over TCP: a frame or part of one. */
  public void writeBytes(Buffer bytes) {
    tcp.write(bytes);
  }

  /** The close status over SockJS; null over TCP, which has none. */
  public Future<Short> closed() {
    return closed.future();
  }

  /** Over SockJS: done once the server answered the close, or after Vert.x's closing timeout without an answer. */
  public Future<Void> close() {
    if (tcp != null) {
      return tcp.close();
    }
    send(opened -> opened.sendClose(WebSocket.NORMAL_CLOSURE, ""));
    long abort = vertx.setTimer(CLOSING_TIMEOUT_MS, id -> {
      socket.abort();
      closed.tryComplete(ABNORMAL_CLOSURE);
    });
    return closed.future().onComplete(done -> vertx.cancelTimer(abort)).mapEmpty();
  }

  /**
   * The TCP bridge speaks the stock TCP bridge's dialect: deliveries are "message" frames and pings are answered with
   * "pong". Read as SockJS frames, so the same tests run over both transports.
   */
  private void receivedOverTcp(JsonObject frame) {
    String type = frame.getString("type");
    if ("pong".equals(type)) {
      return;
    }
    if ("rec".equals(type)) {
      broken(new IllegalStateException("The TCP bridge sent a SockJS delivery frame: " + frame.encode()));
      return;
    }
    received("message".equals(type) ? frame.put("type", "rec") : frame);
  }

  private synchronized void broken(Throwable failure) {
    if (broken == null) {
      broken = failure;
    }
    waiters.forEach(waiter -> waiter.promise.tryFail(broken));
    waiters.clear();
  }

  private synchronized void received(JsonObject frame) {
    if (taker.test(frame)) {
      return;
    }
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.match.test(frame)) {
        it.remove();
        waiter.promise.complete(frame);
        return;
      }
    }
    frames.add(frame);
  }

  public static Predicate<JsonObject> event(String type) {
    return frame -> "rec".equals(frame.getString("type")) && frame.getJsonObject("body") != null
      && type.equals(frame.getJsonObject("body").getString("type"));
  }

  public static Predicate<JsonObject> error(String body) {
    return frame -> "err".equals(frame.getString("type")) && body.equals(frame.getString("body"));
  }
}

package io.codelabs.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The fan-out benchmark's floor: a bare Vert.x WebSocket server on one event loop. A text message
 * from a socket on {@code /publish} is encoded once and written as one binary message to every
 * other socket; no SockJS, authentication, persistence or sequencing. Prints its port.
 */
public final class FloorServer extends VerticleBase {
  private final Set<ServerWebSocket> attendees = new LinkedHashSet<>();

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new FloorServer()).onFailure(failure -> {
      failure.printStackTrace();
      System.exit(1);
    });
  }

  @Override
  public Future<?> start() {
    // Compression off as on our bridge: with it, every message would be deflated once per socket.
    HttpServerOptions options = new HttpServerOptions().setPerMessageWebSocketCompressionSupported(false)
      .setPerFrameWebSocketCompressionSupported(false);
    return vertx.createHttpServer(options).webSocketHandler(this::accept).listen(0, "127.0.0.1")
      .onSuccess(server -> System.out.println(server.actualPort()));
  }

  private void accept(ServerWebSocket socket) {
    if ("/publish".equals(socket.path())) {
      socket.textMessageHandler(this::broadcast);
      return;
    }
    attendees.add(socket);
    socket.closeHandler(closed -> attendees.remove(socket));
  }

  private void broadcast(String event) {
    Buffer frame = Buffer.buffer(event);
    for (ServerWebSocket attendee : attendees) {
      attendee.writeBinaryMessage(frame);
    }
  }
}

package io.codelabs.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

/**
 * The fan-out benchmark's limit: a Vert.x SockJS bridge that only relays what one socket sends
 * to every socket in the room, with no authentication, persistence or sequencing, and the same
 * 60 s ping timeout as ours. Prints its port.
 */
public final class BareBridge {
  private BareBridge() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    SockJSBridgeOptions permissions = new SockJSBridgeOptions().setPingTimeout(60_000)
      .addInboundPermitted(new PermittedOptions().setAddress("bench.announce"))
      .addOutboundPermitted(new PermittedOptions().setAddress("bench.room"));
    Router router = Router.router(vertx);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(permissions));
    vertx.eventBus().consumer("bench.announce", message -> vertx.eventBus().publish("bench.room", message.body()));
    // Compression off as on our bridge: with it, every frame would be deflated once per socket.
    HttpServerOptions options = new HttpServerOptions().setPerMessageWebSocketCompressionSupported(false)
      .setPerFrameWebSocketCompressionSupported(false);
    vertx.createHttpServer(options).requestHandler(router).listen(0, "127.0.0.1")
      .onSuccess(server -> System.out.println(server.actualPort()))
      .onFailure(failure -> {
        failure.printStackTrace();
        System.exit(1);
      });
  }
}

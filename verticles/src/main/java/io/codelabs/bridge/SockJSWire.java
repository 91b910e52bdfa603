package io.codelabs.bridge;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** A SockJS socket: each message is one frame; the polling transports bound a message only by the body limit. */
record SockJSWire(SockJSSocket socket, int maxPayload) implements Wire {
  @Override
  public void frames(Handler<AsyncResult<JsonObject>> frames) {
    socket.handler(data -> frames.handle(decode(data)));
  }

  private AsyncResult<JsonObject> decode(Buffer data) {
    if (data.length() > maxPayload) {
      return Future.failedFuture("payload_too_large");
    }
    try {
      return Future.succeededFuture(new JsonObject(data));
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture("invalid_json");
    }
  }

  @Override
  public void write(Buffer frame) {
    socket.write(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void setWriteQueueMaxSize(int bytes) {
    socket.setWriteQueueMaxSize(bytes);
  }

  @Override
  public void close(int status, String reason) {
    socket.close(status, reason);
  }
}

package io.codelabs.bridge;

import io.codelabs.metrics.BridgeMeters;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;

/**
 * A TCP socket in the TCP event-bus bridge's wire format: each frame is a 4-byte big-endian length and that many
 * bytes of JSON. Frames come in through {@link #received}, fed by the bridge's frame parser.
 */
final class NetWire implements Wire {
  private final NetSocket socket;
  private Handler<AsyncResult<JsonObject>> frames;

  NetWire(NetSocket socket) {
    this.socket = socket;
  }

  void received(AsyncResult<JsonObject> frame) {
    frames.handle(frame);
  }

  @Override
  public void frames(Handler<AsyncResult<JsonObject>> frames) {
    this.frames = frames;
  }

  @Override
  public void write(Buffer frame) {
    socket.write(Buffer.buffer(frame.length() + 4).appendInt(frame.length()).appendBuffer(frame));
  }

  @Override
  public void send(JsonObject frame) {
    FrameHelper.writeFrame(frame, socket);
  }

  /** What the stock TCP event-bus bridge and its clients in other languages use. */
  @Override
  public String deliveryType() {
    return "message";
  }

  @Override
  public BridgeMeters.Transport transport() {
    return BridgeMeters.Transport.TCP;
  }

  @Override
  public void pinged() {
    send(new JsonObject().put("type", "pong"));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void setWriteQueueMaxSize(int bytes) {
    socket.setWriteQueueMaxSize(bytes);
  }

  /** TCP has no close status: the client learns why from the error frame sent before, where there is one. */
  @Override
  public void close(int status, String reason) {
    socket.close();
  }
}

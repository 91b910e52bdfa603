package io.codelabs.bridge;

import io.codelabs.metrics.BridgeMeters;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The connection under a session, a SockJS socket or a TCP socket: each speaks the same bridge frames, and only how
 * a frame is delimited on the wire differs.
 */
interface Wire {
  /** Each frame the client sends, decoded, or a failure whose message is the error to answer it with. */
  void frames(Handler<AsyncResult<JsonObject>> frames);

  /** One encoded frame, the same buffer for every session that receives it. */
  void write(Buffer frame);

  default void send(JsonObject frame) {
    write(frame.toBuffer());
  }

  /** The type of the frames that carry a message to the client: the SockJS client reads "rec". */
  default String deliveryType() {
    return "rec";
  }

  default BridgeMeters.Transport transport() {
    return BridgeMeters.Transport.SOCKJS;
  }

  /** After the client's ping; a transport whose clients wait for an answer gives one. */
  default void pinged() {
  }

  boolean writeQueueFull();

  void setWriteQueueMaxSize(int bytes);

  void close(int status, String reason);
}

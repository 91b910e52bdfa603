package io.codelabs.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Reads the 4-byte length prefixes of the TCP bridge's frames as the bytes pass on to the frame parser, so a frame
 * longer than the limit is refused from its prefix, before the parser buffers any of it.
 */
final class FrameLengths implements Handler<Buffer> {
  private static final int PREFIX_BYTES = 4;

  private final int maxFrame;
  private final Handler<Buffer> parser;
  private final Runnable tooLong;
  private int prefixRead;
  private int prefix;
  private int bodyLeft;
  private boolean refused;

  FrameLengths(int maxFrame, Handler<Buffer> parser, Runnable tooLong) {
    this.maxFrame = maxFrame;
    this.parser = parser;
    this.tooLong = tooLong;
  }

  @Override
  public void handle(Buffer data) {
    if (refused) {
      return;
    }
    int at = 0;
    while (at < data.length()) {
      if (bodyLeft > 0) {
        int skipped = Math.min(bodyLeft, data.length() - at);
        at += skipped;
        bodyLeft -= skipped;
        continue;
      }
      prefix = (prefix << 8) | (data.getByte(at++) & 0xff);
      if (++prefixRead == PREFIX_BYTES) {
        if (prefix < 0 || prefix > maxFrame) {
          refused = true;
          tooLong.run();
          return;
        }
        bodyLeft = prefix;
        prefix = 0;
        prefixRead = 0;
      }
    }
    parser.handle(data);
  }
}

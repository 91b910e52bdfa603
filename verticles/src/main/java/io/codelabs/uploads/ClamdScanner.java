package io.codelabs.uploads;

import io.codelabs.bus.ErrorCode;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A non-blocking client of ClamAV's clamd: INSTREAM over TCP or a unix socket. Only an explicit
 * "OK" is clean; every other outcome is a verdict of infection or a failure, never a pass.
 */
final class ClamdScanner {
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final int MAX_ANSWER_BYTES = 4096;

  /** {@code signature} is null when the file is clean. */
  record Verdict(String signature) {
    boolean clean() {
      return signature == null;
    }
  }

  private final Vertx vertx;
  private final NetClient client;
  private final SocketAddress address;
  private final long timeoutMs;

  private ClamdScanner(Vertx vertx, SocketAddress address, long timeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.timeoutMs = timeoutMs;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) Math.min(timeoutMs, 10_000)));
  }

  /** The configured scanner, or null when neither a clamd socket nor a host is set. */
  static ClamdScanner configured(Vertx vertx, JsonObject config) {
    String socket = config.getString(UploadVerticle.CLAMD_SOCKET);
    String host = config.getString(UploadVerticle.CLAMD_HOST);
    long timeoutMs = config.getInteger(UploadLimits.SCAN_TIMEOUT_MS);
    if (!socket.isEmpty()) {
      return new ClamdScanner(vertx, SocketAddress.domainSocketAddress(socket), timeoutMs);
    }
    if (!host.isEmpty()) {
      return new ClamdScanner(vertx, SocketAddress.inetSocketAddress(config.getInteger(UploadVerticle.CLAMD_PORT),
        host), timeoutMs);
    }
    return null;
  }

  String describe() {
    return address.isDomainSocket() ? "clamd at unix:" + address.path() : "clamd at " + address.host() + ":" + address.port();
  }

  Future<Verdict> scan(Path file) {
    return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
      .compose(opened -> exchange(socket -> stream(opened, socket)).eventually(opened::close))
      .map(ClamdScanner::verdict);
  }

  Future<Void> ping() {
    return exchange(socket -> socket.write(Buffer.buffer("zPING\0"))).map(answer -> {
      if (!answer.equals("PONG")) {
        throw new IllegalStateException("clamd answered " + answer + " to PING");
      }
      return null;
    });
  }

  void close() {
    client.close();
  }

  private static Verdict verdict(String answer) {
    if (answer.equals("stream: OK")) {
      return new Verdict(null);
    }
    if (answer.startsWith("stream: ") && answer.endsWith(" FOUND")) {
      return new Verdict(answer.substring("stream: ".length(), answer.length() - " FOUND".length()));
    }
    if (answer.contains("size limit exceeded")) {
      throw ErrorCode.TOO_LARGE.failure("The file is larger than the virus scanner accepts; nothing was kept");
    }
    throw ErrorCode.UNPROCESSABLE.failure("The virus scanner could not scan the file (" + answer + "); nothing was kept");
  }

  /** INSTREAM: chunks each prefixed by their length, then a zero length. */
  private static void stream(AsyncFile file, NetSocket socket) {
    socket.write(Buffer.buffer("zINSTREAM\0"));
    file.setReadBufferSize(CHUNK_BYTES);
    file.handler(chunk -> {
      socket.write(Buffer.buffer(chunk.length() + 4).appendInt(chunk.length()).appendBuffer(chunk));
      if (socket.writeQueueFull()) {
        file.pause();
        socket.drainHandler(drained -> file.resume());
      }
    });
    file.endHandler(end -> socket.write(Buffer.buffer().appendInt(0)));
    file.exceptionHandler(failure -> socket.close());
  }

  /** Sends a command and reads clamd's answer up to its NUL terminator, within the timeout. */
  private Future<String> exchange(Consumer<NetSocket> send) {
    Promise<String> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, fired -> answer.tryFail(ErrorCode.BUSY.failure(
      "The virus scanner did not answer within " + timeoutMs + " ms; nothing was kept, retry later")));
    client.connect(address).onComplete(socket -> {
      Buffer received = Buffer.buffer();
      socket.handler(data -> {
        received.appendBuffer(data);
        int end = indexOfNul(received);
        if (end >= 0 || received.length() > MAX_ANSWER_BYTES) {
          answer.tryComplete(received.getString(0, end >= 0 ? end : received.length(), StandardCharsets.UTF_8.name()).strip());
        }
      });
      socket.exceptionHandler(failure -> answer.tryFail(unreachable(failure)));
      socket.closeHandler(closed -> answer.tryFail(ErrorCode.BUSY.failure(
        "The virus scanner closed the connection without an answer; nothing was kept, retry later")));
      answer.future().onComplete(done -> socket.close());
      send.accept(socket);
    }, failure -> answer.tryFail(unreachable(failure)));
    return answer.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private static RuntimeException unreachable(Throwable failure) {
    return ErrorCode.BUSY.failure("The virus scanner is not reachable (" + failure.getMessage()
      + "); nothing was kept, retry later");
  }

  private static int indexOfNul(Buffer buffer) {
    for (int i = 0; i < buffer.length(); i++) {
      if (buffer.getByte(i) == 0) {
        return i;
      }
    }
    return -1;
  }
}

package io.codelabs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain TCP client that writes HTTP by hand, to send what well-behaved clients never would. */
public final class RawConnection {
  private final NetSocket socket;
  private final Buffer received = Buffer.buffer();
  private final Promise<Long> closed = Promise.promise();
  private final long openedNanos = System.nanoTime();

  private RawConnection(NetSocket socket) {
    this.socket = socket;
    socket.handler(this::append);
    socket.closeHandler(v -> closed.tryComplete(openMillis()));
    // A refused connection may end in a reset rather than a FIN; its close is what the tests read, not the reset.
    socket.exceptionHandler(reset -> { });
    // These handlers are set once the connect's outcome reached the caller, which may be after the server closed the
    // connection; its close handler is then never called, but a write to it fails.
    socket.write(Buffer.buffer()).onFailure(gone -> closed.tryComplete(openMillis()));
  }

  private long openMillis() {
    return (System.nanoTime() - openedNanos) / 1_000_000;
  }

  /** The client's local address picks the source address (127.0.0.2, .3 ... are all loopback). */
  public static Future<RawConnection> open(NetClient client, int port) {
    return client.connect(port, "127.0.0.1").map(RawConnection::new);
  }

  public RawConnection write(String text) {
    socket.write(text);
    return this;
  }

  /** Completes with the milliseconds the connection was open when it closed. */
  public Future<Long> closed() {
    return closed.future();
  }

  /** Completes once at least {@code count} of the connections have closed. */
  public static Future<Void> closedCount(List<RawConnection> connections, int count) {
    Promise<Void> enough = Promise.promise();
    AtomicInteger closed = new AtomicInteger();
    connections.forEach(connection -> connection.closed().onComplete(done -> {
      if (closed.incrementAndGet() >= count) {
        enough.tryComplete();
      }
    }));
    return enough.future();
  }

  public boolean isClosed() {
    return closed.future().isComplete();
  }

  public synchronized String received() {
    return received.toString();
  }

  public Future<Void> close() {
    return socket.close();
  }

  private synchronized void append(Buffer data) {
    received.appendBuffer(data);
  }
}

package io.codelabs.bridge;

import static io.codelabs.BridgeClient.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.vertx.core.Future;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Supplier;

/** What the open connection of an ended session shows, over either transport, whatever ended it. */
final class EndedConnection {
  private static final short SESSION_ENDED = 4001;

  private EndedConnection() {
  }

  /** Told session_ended, closed at once (SockJS with 4001), and the same credential refused at the next handshake. */
  static void toldClosedAndRefused(VertxTestContext test, BridgeClient connection,
                                   Supplier<Future<BridgeClient>> reconnect) {
    Checkpoint told = test.checkpoint();
    Checkpoint closed = test.checkpoint();
    Checkpoint refusedLater = test.checkpoint();
    connection.next(error("session_ended")).onComplete(test.succeeding(frame -> told.flag()));
    connection.closed().onComplete(test.succeeding(status -> test.verify(() -> {
      if (connection.transport() == BridgeClient.Transport.SOCKJS) {
        assertThat(status).isEqualTo(SESSION_ENDED);
      }
      closed.flag();
    })));
    connection.closed().compose(first -> reconnect.get()).compose(EndedConnection::refused)
      .onComplete(test.succeeding(refusal -> refusedLater.flag()));
  }

  private static Future<Void> refused(BridgeClient later) {
    return later.transport() == BridgeClient.Transport.SOCKJS
      ? later.closed().compose(status -> status == SESSION_ENDED ? Future.succeededFuture()
        : Future.failedFuture("The next handshake closed with " + status + ", not " + SESSION_ENDED))
      : later.next(error("not_logged_in")).mapEmpty();
  }
}

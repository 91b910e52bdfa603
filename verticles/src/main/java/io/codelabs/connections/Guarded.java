package io.codelabs.connections;

import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection a guard watches, HTTP or plain TCP; all but {@code pending} is touched on the connection's event loop
 * only.
 */
final class Guarded {
  final Runnable close;
  final String address;
  final long arrival;
  /** Not yet delivered a request head; another server instance may evict it, hence atomic. */
  final AtomicBoolean pending = new AtomicBoolean(true);
  long timer = -1;
  HttpServerRequest current;
  boolean closed;

  Guarded(Runnable close, String address, long arrival) {
    this.close = close;
    this.address = address;
    this.arrival = arrival;
  }
}

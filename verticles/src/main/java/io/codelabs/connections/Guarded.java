package io.codelabs.connections;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/** One connection a guard watches; all but {@code pending} is touched on the connection's event loop only. */
final class Guarded {
  final HttpConnection connection;
  final String address;
  final long arrival;
  /** Not yet delivered a request head; another server instance may evict it, hence atomic. */
  final AtomicBoolean pending = new AtomicBoolean(true);
  long timer = -1;
  HttpServerRequest current;
  boolean closed;

  Guarded(HttpConnection connection, String address, long arrival) {
    this.connection = connection;
    this.address = address;
    this.arrival = arrival;
  }
}

package io.codelabs.connections;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a plain TCP server answering while clients misbehave, as {@link ConnectionGuard} does for HTTP: a new
 * connection must be admitted (its client proved who it is) within the header time, connections not admitted yet
 * are capped per source address and in total (the oldest goes first), all connections are capped in total, and
 * idle ones are closed. One guard per server instance; the counts are shared by all instances of a server in one
 * Vert.x.
 */
public final class SocketGuard {
  private final Vertx vertx;
  private final ConnectionLimits limits;
  private final Counters counters;
  private final Map<NetSocket, Guarded> pending = new HashMap<>();

  public SocketGuard(Vertx vertx, String server, ConnectionLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.counters = Counters.of(vertx, server);
  }

  public NetServerOptions options(NetServerOptions options) {
    return options.setIdleTimeout((int) limits.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The handler sees only connections within the caps; it must call {@link #admitted} once the client proved itself. */
  public NetServer install(NetServer server, Handler<NetSocket> sockets) {
    return server.connectHandler(socket -> {
      if (connected(socket)) {
        sockets.handle(socket);
      }
    });
  }

  public void admitted(NetSocket socket) {
    Guarded guard = pending.remove(socket);
    if (guard != null) {
      vertx.cancelTimer(guard.timer);
      counters.leavePending(guard);
    }
  }

  private boolean connected(NetSocket socket) {
    String address = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
    if (!counters.admitOpen(limits.maxConnections())) {
      socket.close();
      return false;
    }
    if (!counters.admitPendingFrom(address, limits.maxPendingPerAddress())) {
      counters.open.decrementAndGet();
      socket.close();
      return false;
    }
    Guarded guard = new Guarded(socket::close, address, counters.arrivals.incrementAndGet());
    pending.put(socket, guard);
    socket.closeHandler(closed -> released(socket, guard));
    guard.timer = vertx.setTimer(limits.headerTimeoutMs(), fired -> socket.close());
    Guarded evicted = counters.addPending(guard, limits.maxPending());
    if (evicted != null) {
      evicted.close.run();
    }
    return true;
  }

  private void released(NetSocket socket, Guarded guard) {
    guard.closed = true;
    pending.remove(socket);
    vertx.cancelTimer(guard.timer);
    counters.leavePending(guard);
    counters.open.decrementAndGet();
  }
}

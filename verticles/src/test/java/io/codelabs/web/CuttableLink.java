package io.codelabs.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between browsers and a port that a test can cut like a failing network: cutting closes
 * every open connection and refuses new ones until the link is restored. Or it can go silent, as a network that
 * drops packets without a word: nothing flows on the open connections or on new ones, and nothing is closed.
 */
final class CuttableLink {
  private final NetServer server;
  private final NetClient client;
  private final int target;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean silent;

  private CuttableLink(Vertx vertx, int target) {
    this.server = vertx.createNetServer();
    this.client = vertx.createNetClient();
    this.target = target;
    server.connectHandler(this::accept);
  }

  static CuttableLink to(Vertx vertx, int target) {
    CuttableLink link = new CuttableLink(vertx, target);
    link.server.listen(0, "127.0.0.1").await();
    return link;
  }

  int port() {
    return server.actualPort();
  }

  void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  void restore() {
    cut = false;
  }

  void silence() {
    silent = true;
    open.forEach(NetSocket::pause);
  }

  /** New connections flow again; those open while silent stay as dead as such a network leaves them. */
  void speak() {
    silent = false;
  }

  Future<Void> close() {
    cut();
    return client.close().compose(v -> server.close());
  }

  private void accept(NetSocket inbound) {
    if (cut) {
      inbound.close();
      return;
    }
    inbound.pause();
    if (silent) {
      open.add(inbound);
      return;
    }
    client.connect(target, "127.0.0.1").onComplete(outbound -> {
      pair(inbound, outbound);
      pair(outbound, inbound);
      inbound.resume();
    }, failure -> inbound.close());
  }

  /** Bytes from one side go to the other; when one side closes, so does the other. */
  private void pair(NetSocket from, NetSocket to) {
    open.add(from);
    from.handler(to::write);
    from.closeHandler(v -> {
      open.remove(from);
      to.close();
    });
  }
}

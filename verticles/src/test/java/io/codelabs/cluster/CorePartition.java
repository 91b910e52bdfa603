package io.codelabs.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The core nodes' replicated-log traffic through a proxy for each ordered pair of nodes, so that
 * one node can be cut off from the others and joined to them again. The peers are named, not
 * numbered, and each node resolves the names from a hosts file of its own: its own name is its own
 * loopback address, 127.N.i.1, and another node j's name is the address of the proxy from i to j,
 * 127.N.i.(11 + j), on j's port. A cut black-holes a pair: what is under way stops flowing and new
 * connections are accepted but never served, as when the network between two machines drops every
 * packet. Healing lets the held bytes flow on, as TCP connections outlive a short partition, and
 * connects what came during the cut.
 */
final class CorePartition {
  private final Vertx vertx;
  private final List<String> ids;
  private final int net;
  private final int base;
  private final Path work;
  private final Context context;
  /** Links per pair, {@code from * ids.size() + to}; only touched on the proxies' context. */
  private final List<Set<Link>> links = new ArrayList<>();
  private final boolean[] cut;
  private NetClient client;

  private CorePartition(Vertx vertx, Path work, List<String> ids, int net, int base) {
    this.vertx = vertx;
    this.work = work;
    this.ids = ids;
    this.net = net;
    this.base = base;
    this.context = vertx.getOrCreateContext();
    this.cut = new boolean[ids.size() * ids.size()];
    for (int i = 0; i < cut.length; i++) {
      links.add(new HashSet<>());
    }
  }

  /** Proxies listening for every pair of these core nodes, on ports the cluster leaves free. */
  static CorePartition create(Vertx vertx, LoopbackCluster cluster, List<String> ids) throws IOException {
    CorePartition partition = new CorePartition(vertx, cluster.work, ids, ThreadLocalRandom.current().nextInt(1, 255),
      cluster.corePorts(ids.size()));
    partition.writeHostsFiles();
    partition.listen().await();
    return partition;
  }

  /** {@code id=id:port,...}: the same list for every core node, each resolving the names its own way. */
  String peers() {
    return IntStream.range(0, ids.size()).mapToObj(i -> ids.get(i) + "=" + ids.get(i) + ":" + (base + i))
      .collect(Collectors.joining(","));
  }

  /** The JVM options that make a core node resolve the peers' names from its own hosts file. */
  List<String> jvmOptions(String id) {
    return List.of("-Djdk.net.hosts.file=" + hostsFile(ids.indexOf(id)));
  }

  /** Black-holes the traffic between this core node and every other, both ways. */
  Future<Void> isolate(String id) {
    return onContext(() -> pairsOf(ids.indexOf(id)).forEach(pair -> {
      cut[pair] = true;
      links.get(pair).forEach(Link::cut);
    }));
  }

  /** Lets every pair through again, the connections that were cut included. */
  Future<Void> heal() {
    return onContext(() -> {
      for (int pair = 0; pair < cut.length; pair++) {
        cut[pair] = false;
        List.copyOf(links.get(pair)).stream().filter(link -> link.cut).forEach(Link::heal);
      }
    });
  }

  private List<Integer> pairsOf(int node) {
    List<Integer> pairs = new ArrayList<>();
    for (int other = 0; other < ids.size(); other++) {
      if (other != node) {
        pairs.add(node * ids.size() + other);
        pairs.add(other * ids.size() + node);
      }
    }
    return pairs;
  }

  private String own(int node) {
    return "127." + net + "." + (node + 1) + ".1";
  }

  private String proxy(int from, int to) {
    return "127." + net + "." + (from + 1) + "." + (11 + to);
  }

  private Path hostsFile(int node) {
    return work.resolve("hosts-" + ids.get(node));
  }

  /** Besides the peers, the names a node resolves for itself: localhost and this machine's name. */
  private void writeHostsFiles() throws IOException {
    String machine = InetAddress.getLocalHost().getHostName();
    for (int node = 0; node < ids.size(); node++) {
      List<String> lines = new ArrayList<>(List.of("127.0.0.1 localhost " + machine, own(node) + " " + ids.get(node)));
      for (int other = 0; other < ids.size(); other++) {
        if (other != node) {
          lines.add(proxy(node, other) + " " + ids.get(other));
        }
      }
      Files.write(hostsFile(node), lines);
    }
  }

  private Future<Void> listen() {
    Promise<Void> listening = Promise.promise();
    context.runOnContext(v -> {
      client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1_000));
      List<Future<?>> servers = new ArrayList<>();
      for (int from = 0; from < ids.size(); from++) {
        for (int to = 0; to < ids.size(); to++) {
          if (from != to) {
            int pair = from * ids.size() + to;
            int target = to;
            servers.add(vertx.createNetServer(new NetServerOptions().setHost(proxy(from, to)).setPort(base + to))
              .connectHandler(inbound -> accept(pair, inbound, target)).listen());
          }
        }
      }
      Future.all(servers).<Void>mapEmpty().onComplete(listening);
    });
    return listening.future();
  }

  private void accept(int pair, NetSocket inbound, int target) {
    Link link = new Link(pair, inbound, target);
    links.get(pair).add(link);
    inbound.pause();
    inbound.exceptionHandler(e -> link.close());
    inbound.closeHandler(v -> link.close());
    if (cut[pair]) {
      link.cut();
    } else {
      link.connect();
    }
  }

  private Future<Void> onContext(Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      action.run();
      done.complete();
    });
    return done.future();
  }

  /** A connection through a proxy: what one node sent to the proxy, and the proxy's connection on to the other node. */
  private final class Link {
    private final int pair;
    private final NetSocket inbound;
    private final int target;
    private NetSocket outbound;
    private boolean connecting;
    private boolean cut;
    private boolean closed;

    Link(int pair, NetSocket inbound, int target) {
      this.pair = pair;
      this.inbound = inbound;
      this.target = target;
    }

    void connect() {
      connecting = true;
      client.connect(base + target, own(target)).onComplete(connected -> {
        if (connected.failed()) {
          close();
        } else {
          connected(connected.result());
        }
      });
    }

    private void connected(NetSocket socket) {
      outbound = socket;
      outbound.exceptionHandler(e -> close());
      outbound.closeHandler(v -> close());
      if (closed) {
        outbound.close();
        return;
      }
      forward(inbound, outbound);
      forward(outbound, inbound);
      if (cut) {
        outbound.pause();
      } else {
        inbound.resume();
      }
    }

    /** Bytes one way, no more than the other side takes; a cut pauses both sides on this context, so none pass it. */
    private void forward(NetSocket from, NetSocket to) {
      from.handler(buffer -> {
        to.write(buffer);
        if (to.writeQueueFull()) {
          from.pause();
          to.drainHandler(v -> {
            if (!cut) {
              from.resume();
            }
          });
        }
      });
    }

    void cut() {
      cut = true;
      inbound.pause();
      if (outbound != null) {
        outbound.pause();
      }
    }

    void heal() {
      cut = false;
      if (outbound != null) {
        inbound.resume();
        outbound.resume();
      } else if (!connecting) {
        connect();
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      links.get(pair).remove(this);
      inbound.close();
      if (outbound != null) {
        outbound.close();
      }
    }
  }
}

package io.codelabs.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Node processes on loopback with the shipped {@code cluster-config/loopback.xml}, changed only
 * where a test must differ: a cluster name of its own (other builds on this machine run clusters
 * too) and member ports that are free now instead of 5701 and up.
 */
final class LoopbackCluster implements AutoCloseable {
  final Path work;
  final Path dataDir;
  private final Path config;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private final int memberBase;
  private final int members;

  private LoopbackCluster(Path work, Path config, int memberBase, int members) {
    this.work = work;
    this.dataDir = work.resolve("data");
    this.config = config;
    this.memberBase = memberBase;
    this.members = members;
  }

  static LoopbackCluster create(Path work, int members) throws IOException {
    int base = freePortRange(members);
    String memberList = IntStream.range(0, members)
      .mapToObj(i -> "          <member>127.0.0.1:" + (base + i) + "</member>")
      .collect(Collectors.joining("\n"));
    String xml = Files.readString(Path.of("..", "cluster-config", "loopback.xml"))
      .replace("<cluster-name>codelabs</cluster-name>", "<cluster-name>codelabs-it-" + UUID.randomUUID() + "</cluster-name>")
      .replaceFirst("<port [^>]*>5701</port>", "<port auto-increment=\"true\" port-count=\"" + members + "\">" + base + "</port>")
      .replaceFirst("(?s)<member-list>.*</member-list>", "<member-list>\n" + memberList + "\n        </member-list>");
    Path config = work.resolve("hazelcast.xml");
    Files.writeString(config, xml);
    return new LoopbackCluster(work, config, base, members);
  }

  NodeProcess start(String name, String roles, String... extra) throws IOException {
    return start(name, dataDir, roles, List.of(), extra);
  }

  /** {@code id=127.0.0.1:port,...} for core nodes with these ids, on ports free now. */
  String corePeers(List<String> ids) throws IOException {
    int base = corePorts(ids.size());
    return IntStream.range(0, ids.size()).mapToObj(i -> ids.get(i) + "=127.0.0.1:" + (base + i))
      .collect(Collectors.joining(","));
  }

  /** The same list without the core node of this id. */
  static String corePeersWithout(String peers, String id) {
    return List.of(peers.split(",")).stream().filter(entry -> !entry.startsWith(id + "="))
      .collect(Collectors.joining(","));
  }

  /** A core node of the replicated log, with a data directory of its own named after it. */
  NodeProcess startCore(String id, String peers, String... extra) throws IOException {
    return startCore(id, peers, List.of(), extra);
  }

  /** A core node whose JVM is started with these options too. */
  NodeProcess startCore(String id, String peers, List<String> jvmOptions, String... extra) throws IOException {
    List<String> options = new ArrayList<>(List.of("--core-peers", peers, "--core-id", id));
    options.addAll(List.of(extra));
    return start(id, coreDataDir(id), "persistence", jvmOptions, options.toArray(String[]::new));
  }

  Path coreDataDir(String id) {
    return work.resolve("data-" + id);
  }

  private NodeProcess start(String name, Path data, String roles, List<String> jvmOptions, String... extra)
    throws IOException {
    NodeProcess node = NodeProcess.start(name, work, config, data, roles, jvmOptions, extra);
    nodes.add(node);
    return node;
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.kill();
    }
  }

  /** Consecutive ports free now and apart from the members' ports, which are not taken until the nodes start. */
  int corePorts(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = freePortRange(count);
      if (base + count <= memberBase || base >= memberBase + members) {
        return base;
      }
    }
    throw new IOException("No " + count + " consecutive free ports found apart from the members' ports");
  }

  /**
   * Consecutive ports nobody listens on right now, so that the member list can name them. They lie below the range the
   * system hands out to outgoing connections: a node may start minutes after its port was checked (a joining core
   * node), and by then a connection could have taken a port from that range.
   */
  private static int freePortRange(int count) throws IOException {
    int below = firstEphemeralPort();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(10_000, below - count);
      if (IntStream.range(base, base + count).allMatch(LoopbackCluster::free)) {
        return base;
      }
    }
    throw new IOException("No " + count + " consecutive free ports found");
  }

  private static int firstEphemeralPort() {
    // Read by line: a /proc file reports no size, and Files.readString then reads only its first byte.
    try (BufferedReader range = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      return Integer.parseInt(range.readLine().trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

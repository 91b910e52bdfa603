package io.codelabs.connections;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * How many connections a node's servers hold at most, from the files the process may open. Past that limit a socket
 * is not even accepted, and SQLite, uploads and the cluster fail with it, so every server refuses new connections
 * before the process runs out. The node's own files (SQLite and its readers, uploads in flight, backups, clamd,
 * webhooks, the cluster) keep a share; of the rest the TCP bridge takes its few, the realtime bridge three quarters
 * and the API one quarter. A larger limit never raises the caps past what a heap sized for one room holds: memory,
 * not files, then bounds a flood, and a larger room sets its caps with its heap.
 */
public record FileBudget(long openFiles, int api, int bridge, int tcpBridge) {
  /** The node's own files: 17.5 % of a small limit, never more than this. */
  static final long RESERVED_MAX = 3_500;
  static final long TCP_BRIDGE_MAX = 500;
  static final long BRIDGE_MAX = 12_000;
  static final long API_MAX = 4_000;
  /** An "unlimited" limit, read as this much, keeps the arithmetic in range. */
  private static final long OPEN_FILES_MAX = 1L << 30;
  /** Where no Unix bean tells the limit: the figure the defaults were first sized for. */
  private static final long UNKNOWN_LIMIT = 20_000;

  public static FileBudget of(long openFiles) {
    long files = Math.min(openFiles, OPEN_FILES_MAX);
    long rest = files - Math.min(RESERVED_MAX, files * 7 / 40);
    long tcpBridge = Math.min(TCP_BRIDGE_MAX, rest / 33);
    long sockets = rest - tcpBridge;
    long api = sockets / 4;
    return new FileBudget(files, (int) Math.min(API_MAX, api), (int) Math.min(BRIDGE_MAX, sockets - api),
      (int) tcpBridge);
  }

  /**
   * The JVM raises its soft limit to the hard one at start ({@code -XX:+MaxFDLimit}, on by default): that is the limit
   * read here.
   */
  public static FileBudget ofThisProcess() {
    return of(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
      ? unix.getMaxFileDescriptorCount() : UNKNOWN_LIMIT);
  }
}

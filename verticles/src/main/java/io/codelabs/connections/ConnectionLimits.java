package io.codelabs.connections;

import io.vertx.core.json.JsonObject;

/**
 * How long a connection may take to send a request head and to be answered, how long it may idle,
 * and how many connections a server holds: in total, still without a request head, and still
 * without one per source address. Keys are read under a server's prefix, e.g. {@code http.}.
 */
public record ConnectionLimits(long headerTimeoutMs, long requestTimeoutMs, long uploadTimeoutMs, long idleTimeoutMs,
                               int maxConnections, int maxPending, int maxPendingPerAddress) {
  public static final String HEADER_TIMEOUT_MS = "headerTimeoutMs";
  public static final String REQUEST_TIMEOUT_MS = "requestTimeoutMs";
  public static final String UPLOAD_TIMEOUT_MS = "uploadTimeoutMs";
  public static final String IDLE_TIMEOUT_MS = "idleTimeoutMs";
  public static final String MAX_CONNECTIONS = "maxConnections";
  public static final String MAX_PENDING = "maxPendingConnections";
  public static final String MAX_PENDING_PER_ADDRESS = "maxPendingPerAddress";

  /** The open connections each server holds at most, shared out of the files this process may open. */
  public static final FileBudget FILES = FileBudget.ofThisProcess();
  /**
   * Idleness is measured while the server thinks too, so requests time out (408, with an answer) before connections
   * idle out.
   */
  public static final ConnectionLimits API = new ConnectionLimits(10_000, 20_000, 300_000, 30_000, FILES.api(), 2_000,
    250);
  /**
   * Established sockets are the bridge's business; it idles longer than its ping timeout so pings govern. SockJS's
   * polling transports hold a request until a message or the 25 s heartbeat, so requests may last longer than that.
   */
  public static final ConnectionLimits BRIDGE = new ConnectionLimits(10_000, 40_000, 40_000, 90_000, FILES.bridge(), 2_000,
    250);
  /**
   * The TCP bridge serves integrators' services, a few per workshop, not browsers. A new connection has the header
   * time to send its authenticated first frame; established ones idle longer than the ping timeout so pings govern.
   * Requests have no meaning there.
   */
  public static final ConnectionLimits TCP_BRIDGE = new ConnectionLimits(10_000, 0, 0, 90_000, FILES.tcpBridge(), 100, 20);

  public static ConnectionLimits read(JsonObject config, String prefix, ConnectionLimits defaults) {
    return new ConnectionLimits(
      config.getLong(prefix + HEADER_TIMEOUT_MS, defaults.headerTimeoutMs),
      config.getLong(prefix + REQUEST_TIMEOUT_MS, defaults.requestTimeoutMs),
      config.getLong(prefix + UPLOAD_TIMEOUT_MS, defaults.uploadTimeoutMs),
      config.getLong(prefix + IDLE_TIMEOUT_MS, defaults.idleTimeoutMs),
      config.getInteger(prefix + MAX_CONNECTIONS, defaults.maxConnections),
      config.getInteger(prefix + MAX_PENDING, defaults.maxPending),
      config.getInteger(prefix + MAX_PENDING_PER_ADDRESS, defaults.maxPendingPerAddress));
  }
}

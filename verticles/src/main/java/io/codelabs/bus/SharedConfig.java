package io.codelabs.bus;

/**
 * The few configuration keys and node-local facts that more than one verticle reads. Every other key belongs to the
 * verticle that reads it.
 */
public final class SharedConfig {
  /** The URL people open; its origin is the one pages may open realtime sockets from, and https makes cookies Secure. */
  public static final String PUBLIC_URL = "publicUrl";
  /** Holds the SQLite file and, unless configured elsewhere, the quarantine and the stored files. */
  public static final String DATA_DIR = "dataDir";
  public static final String BRIDGE_PORT = "bridge.port";
  public static final String BRIDGE_PATH = "/eventbus";
  /**
   * A node-local map ({@code vertx.sharedData().getLocalMap}) whose keys are the ports this node's HTTP API actually
   * listens on (the configured one may be 0), known only once it has started.
   */
  public static final String API_PORTS = "codelabs.api-ports";

  private SharedConfig() {
  }
}

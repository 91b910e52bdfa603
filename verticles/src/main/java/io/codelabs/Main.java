package io.codelabs;

import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.connections.ConnectionLimits;
import io.codelabs.metrics.MetricsEndpoint;
import io.codelabs.persistence.Restore;
import io.codelabs.rehearsal.Rehearsal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar codelabs.jar [options]}: starts a node and prints where to open it;
 * {@code java -jar codelabs.jar rehearse ...} runs a load rehearsal against one;
 * {@code java -jar codelabs.jar restore --from DIR --data-dir DIR [--storage-dir DIR]} restores a backup offline.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && "rehearse".equals(args[0])) {
      Rehearsal.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "restore".equals(args[0])) {
      int status = restore(Arrays.copyOfRange(args, 1, args.length));
      if (status != 0) {
        System.exit(status);
      }
      return;
    }
    if (NodeConfig.wantsHelp(args)) {
      System.out.print(NodeConfig.usage());
      return;
    }
    long startedAt = System.nanoTime();
    NodeConfig config;
    try {
      config = NodeConfig.load(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Node node;
    try {
      node = Node.start(config).await();
    } catch (Exception e) {
      LOG.error("The node could not start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "codelabs-shutdown"));
    long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    System.out.println(banner(config.json(), node, readyMs));
    if (node.seat != null) {
      watchSeat(node);
    }
  }

  private static final String RESTORE_USAGE = """
    Usage: java -jar codelabs.jar restore --from BACKUP_DIR --data-dir EMPTY_DIR [--storage-dir EMPTY_DIR]

    Restores a backup made by the writer (a directory with manifest.json) while no node runs on the target.
    Checks every file's size and SHA-256, refuses a newer backup format and a target that is not empty, runs
    SQLite's integrity check and gives the database a new epoch, so browsers reload. Stored files go to
    --storage-dir, else <data-dir>/files. Exit code 0 restored, 2 refused, 1 failed.
    """;

  /** The exit status: 0 restored, 2 refused (nothing written), 1 failed. */
  static int restore(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!List.of("--from", "--data-dir", "--storage-dir").contains(args[i]) || i + 1 >= args.length) {
        System.err.print(RESTORE_USAGE);
        return 2;
      }
      options.put(args[i], args[++i]);
    }
    if (!options.containsKey("--from") || !options.containsKey("--data-dir")) {
      System.err.print(RESTORE_USAGE);
      return 2;
    }
    Path dataDir = Path.of(options.get("--data-dir"));
    Path filesDir = options.containsKey("--storage-dir") ? Path.of(options.get("--storage-dir")) : dataDir.resolve("files");
    try {
      Restore.Restored restored = Restore.run(Path.of(options.get("--from")), dataDir, filesDir);
      System.out.printf("Restored %s into %s (%d stored files into %s).%nNew database epoch %s (was %s): "
          + "browsers that reconnect reload their state.%nStart the node with --data-dir %s%s%n",
        restored.backupId(), restored.database(), restored.storedFiles(), filesDir, restored.newEpoch(),
        restored.backupEpoch(), dataDir, options.containsKey("--storage-dir") ? " --storage-dir " + filesDir : "");
      return 0;
    } catch (Restore.Refused e) {
      System.err.println("Restore refused: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      System.err.println("Restore failed: " + e.getMessage());
      return 1;
    }
  }

  /** A standby announces its takeover; a fenced writer exits so that its supervisor restarts it as a standby. */
  private static void watchSeat(Node node) {
    if (node.startTerm == 0) {
      node.seat.elected().onSuccess(takeover -> {
        StringBuilder text = new StringBuilder(writerLine(takeover.term())).append('\n');
        credentials(text, takeover.createdPassword());
        System.out.print(text);
      });
    }
    node.seat.fenced().onSuccess(v -> {
      System.out.println("Fenced: another node took the writer lease over; this node stops (exit code 3)");
      new Thread(() -> System.exit(3), "codelabs-fenced-exit").start();
    });
  }

  private static String writerLine(long term) {
    return "Writer: this node holds the writer lease, term " + term;
  }

  /** SIGTERM: the writer finishes every queued command before the process exits. */
  private static void stop(Node node) {
    try {
      node.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown did not finish cleanly", e);
    }
  }

  static String banner(JsonObject config, Node node, long readyMs) {
    StringBuilder text = new StringBuilder();
    if (node.httpPort > 0) {
      String url = config.getString("publicUrl");
      text.append("Open Codelabs is ready at ")
        .append(url.isEmpty() ? "http://localhost:" + node.httpPort : url)
        .append(" (started in ").append(readyMs).append(" ms)\n");
    } else {
      text.append("Open Codelabs node ready, roles ").append(config.getString(NodeConfig.ROLES))
        .append(" (started in ").append(readyMs).append(" ms)\n");
    }
    text.append("Sockets served by ").append(node.transport).append(transportNote(config, node)).append('\n');
    if (node.httpPort > 0 || node.bridgePort > 0) {
      text.append(connectionsLine(config, node)).append('\n');
    }
    if (node.tcpBridgePort > 0) {
      text.append("Event-bus TCP bridge for services on ").append(config.getString(BridgeVerticle.TCP_HOST)).append(':')
        .append(node.tcpBridgePort).append(tls(config) ? " (TLS)" : "").append('\n');
    }
    if (node.metricsPort > 0) {
      text.append("Metrics for Prometheus: http://").append(config.getString(MetricsEndpoint.HOST)).append(':')
        .append(node.metricsPort).append(MetricsEndpoint.PATH).append('\n');
    }
    if (node.startTerm > 0) {
      text.append(writerLine(node.startTerm)).append('\n');
    } else if (node.seat != null) {
      text.append("Standby: another node is the writer; this node takes over when it leaves\n");
    }
    credentials(text, node.createdPassword);
    return text.toString();
  }

  /** What a node can hold is worth knowing before a room fills it: past these caps new connections are refused. */
  private static String connectionsLine(JsonObject config, Node node) {
    String max = ConnectionLimits.MAX_CONNECTIONS;
    String realtime = node.bridgePort > 0
      ? String.format(Locale.ROOT, "%,d realtime", config.getInteger(BridgeVerticle.LIMITS + max)) : "";
    String api = node.httpPort > 0 ? String.format(Locale.ROOT, "%,d API", config.getInteger(HttpApiVerticle.LIMITS + max)) : "";
    return String.format(Locale.ROOT, "Connections at once: %s (this process may open %,d files)",
      String.join(" and ", Stream.of(realtime, api).filter(part -> !part.isEmpty()).toList()),
      ConnectionLimits.FILES.openFiles());
  }

  /** Only a native transport that was wanted and could not load is worth a word: NIO then serves, a little slower. */
  private static String transportNote(JsonObject config, Node node) {
    Throwable unavailable = node.vertx.unavailableNativeTransportCause();
    return config.getBoolean(NodeConfig.NIO) || unavailable == null
      ? ""
      : " (native transport unavailable: " + unavailable.getMessage() + ")";
  }

  private static boolean tls(JsonObject config) {
    return !config.getString(BridgeVerticle.TCP_KEY_STORE, "").isEmpty()
      || !config.getString(BridgeVerticle.TCP_CERT, "").isEmpty();
  }

  private static void credentials(StringBuilder text, String password) {
    if (password != null) {
      text.append("First start: a facilitator account was created. Sign in with\n")
        .append("  username: ").append(Node.FIRST_FACILITATOR).append('\n')
        .append("  password: ").append(password).append('\n')
        .append("This password is shown only this once; only its hash is stored.\n");
    }
  }
}

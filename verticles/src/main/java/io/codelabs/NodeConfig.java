package io.codelabs;

import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.SharedConfig;
import io.codelabs.connections.ConnectionLimits;
import io.codelabs.credentials.CredentialsConfig;
import io.codelabs.metrics.MetricsEndpoint;
import io.codelabs.outbound.WebhookConfig;
import io.codelabs.content.ImportLimits;
import io.codelabs.persistence.CoreReplica;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.storage.Quarantine;
import io.codelabs.storage.StorageConfig;
import io.codelabs.storage.UploadLimits;
import io.codelabs.tokens.ApiKeys;
import io.codelabs.tokens.Tokens;
import io.codelabs.uploads.UploadVerticle;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The node's configuration, read once at start: command-line options over environment variables
 * over a JSON file over defaults. Keys are the ones the verticles read from their config.
 */
public final class NodeConfig {
  public static final String ROLES = HttpApiVerticle.ROLES;
  public static final String CLUSTER = "cluster";
  public static final String CLUSTER_CONFIG = "cluster.config";
  public static final String CLUSTER_HOST = "cluster.host";
  public static final String CLUSTER_PORT = "cluster.port";
  public static final String HTTP_INSTANCES = "http.instances";
  public static final String NIO = "nio";
  private static final String CONFIG_FILE = "config";

  public enum Role { API, BRIDGE, PERSISTENCE, UPLOADS }

  private enum Type { TEXT, NUMBER, FLAG }

  /** A null flag marks a secret: it is read from its environment variable only. */
  private record Option(String key, String flag, Type type, Object fallback, String help) {
    boolean secret() {
      return flag == null;
    }

    String env() {
      return "CODELABS_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }
  }

  private static final List<Option> OPTIONS = Stream.of(List.of(
    new Option(HttpApiVerticle.PORT, "--port", Type.NUMBER, 8080, "HTTP port (0 picks a free one)"),
    new Option(HttpApiVerticle.HOST, "--host", Type.TEXT, "0.0.0.0", "HTTP interface to listen on"),
    new Option(HttpApiVerticle.PUBLIC_URL, "--public-url", Type.TEXT, "",
      "URL people open (default http://localhost:<port>); https makes cookies Secure"),
    new Option(SharedConfig.DATA_DIR, "--data-dir", Type.TEXT, "data", "Directory of the SQLite file"),
    new Option(ROLES, "--roles", Type.TEXT, "api,bridge,persistence,uploads",
      "Verticles this node runs: api, bridge, persistence, uploads"),
    new Option(BridgeVerticle.PORT, "--bridge-port", Type.NUMBER, 8081, "Realtime (SockJS) port (0 picks a free one)"),
    new Option(BridgeVerticle.HOST, "--bridge-host", Type.TEXT, "0.0.0.0", "Realtime interface to listen on"),
    new Option(HttpApiVerticle.REALTIME_URL, "--realtime-url", Type.TEXT, "",
      "Realtime URL browsers are told (default: this host, the bridge port, " + BridgeVerticle.PATH + ")"),
    new Option(BridgeVerticle.ALLOWED_ORIGINS, "--allowed-origins", Type.TEXT, "",
      "Page origins that may open realtime sockets, comma-separated (default: the public URL's, else the same host)"),
    new Option(BridgeVerticle.MAX_HANDLERS, "--bridge-max-handlers", Type.NUMBER, 16, "Addresses one socket may receive"),
    new Option(BridgeVerticle.MAX_PAYLOAD, "--bridge-max-payload", Type.NUMBER, 16_384, "Largest frame a socket may send, bytes"),
    new Option(BridgeVerticle.PING_TIMEOUT_MS, "--bridge-ping-timeout", Type.NUMBER, 60_000,
      "Milliseconds without a ping before a socket is closed"),
    new Option(BridgeVerticle.RATE, "--bridge-rate", Type.NUMBER, 20, "Frames per second one socket may send"),
    new Option(BridgeVerticle.BURST, "--bridge-burst", Type.NUMBER, 40, "Frames one socket may send in a burst"),
    new Option(CLUSTER, "--cluster", Type.FLAG, false, "Join a Hazelcast cluster"),
    new Option(CLUSTER_CONFIG, "--cluster-config", Type.TEXT, "",
      "Hazelcast XML (default: the bundled cluster-config/loopback.xml)"),
    new Option(CLUSTER_HOST, "--cluster-host", Type.TEXT, "127.0.0.1", "Address the clustered event bus binds to"),
    new Option(CLUSTER_PORT, "--cluster-port", Type.NUMBER, 0,
      "Port of the clustered event bus (0 picks a free one; fix it when a firewall sits between hosts)"),
    new Option(CoreReplica.PEERS, "--core-peers", Type.TEXT, "",
      "Core nodes that replicate the writer's log, each with its own data directory: id=host:port,... (the same list on"
        + " every core node; none: one writer, with standbys that share its file)"),
    new Option(CoreReplica.ID, "--core-id", Type.TEXT, "", "This core node's id in --core-peers"),
    new Option(CoreReplica.JOIN, "--core-join", Type.FLAG, false,
      "Start as a new core node that waits for the admin to add it (PUT /api/cluster/core); --core-peers names at least"
        + " this node's own address"),
    new Option(CoreReplica.SNAPSHOT_EVERY, "--core-snapshot-every", Type.NUMBER, 10_000,
      "Log entries (batches) between two snapshots of a core node's file; the log is purged up to each"),
    new Option(HTTP_INSTANCES, "--http-instances", Type.NUMBER, 0, "HTTP API verticle instances (0: one per core; always 1 with port 0)"),
    new Option(PersistenceVerticle.SYNCHRONOUS, "--synchronous", Type.TEXT, "FULL",
      "SQLite synchronous mode for the writer: FULL or NORMAL"),
    new Option(PersistenceVerticle.QUEUE_SIZE, "--writer-queue", Type.NUMBER, 10_000,
      "Commands that may wait for the writer before it answers busy"),
    new Option(PersistenceVerticle.MAX_BATCH, "--writer-batch", Type.NUMBER, 1_000, "Most commands per transaction"),
    new Option(PersistenceVerticle.READ_POOL_SIZE, "--read-pool", Type.NUMBER, 4, "Read connections"),
    new Option(PersistenceVerticle.REPLAY_WINDOW, "--replay-window", Type.NUMBER, 5_000,
      "Most events a reconnecting client may replay before it is told to reload"),
    new Option(BusClient.TIMEOUT_KEY, "--bus-timeout", Type.NUMBER, (int) BusClient.DEFAULT_TIMEOUT_MS,
      "Milliseconds a bus request waits for its answer"),
    new Option(HttpApiVerticle.MAX_HASHING, "--max-hashing", Type.NUMBER, 256,
      "Password/code hashes that may wait at once before sign-ins answer busy"),
    new Option(UploadLimits.MAX_FILE_BYTES, "--upload-max-file", Type.NUMBER, 25 << 20,
      "Largest file one upload may carry, bytes (past it: 413, nothing kept)"),
    new Option(UploadLimits.MAX_ATTENDEE_BYTES, "--upload-quota", Type.NUMBER, 100 << 20,
      "Bytes of files one attendee may have submitted in a codelab (checked by the persistence node)"),
    new Option(UploadLimits.MAX_SUBMISSIONS, "--upload-max-submissions", Type.NUMBER, 50,
      "Submissions (files and links) one attendee may have in a codelab (checked by the persistence node)"),
    new Option(UploadLimits.MAX_IN_FLIGHT, "--uploads-in-flight", Type.NUMBER, 8,
      "Uploads a node receives and checks at once before it answers busy"),
    new Option(Quarantine.DIR, "--quarantine-dir", Type.TEXT, "",
      "Node-local directory for uploads not yet checked (none: <data-dir>/quarantine)"),
    new Option(StorageConfig.DIR, "--storage-dir", Type.TEXT, "",
      "Directory of accepted files when no S3 bucket is set (none: <data-dir>/files); a shared volume in a cluster"),
    new Option(UploadVerticle.CLAMD_HOST, "--clamd-host", Type.TEXT, "",
      "clamd host to scan uploads with over TCP (none: uploads are not scanned)"),
    new Option(UploadVerticle.CLAMD_PORT, "--clamd-port", Type.NUMBER, 3310, "clamd TCP port"),
    new Option(UploadVerticle.CLAMD_SOCKET, "--clamd-socket", Type.TEXT, "",
      "clamd unix socket path (instead of host and port)"),
    new Option(UploadLimits.SCAN_TIMEOUT_MS, "--scan-timeout", Type.NUMBER, 30_000,
      "Milliseconds clamd may take to answer before the upload is rejected"),
    new Option(StorageConfig.S3_ENDPOINT, "--s3-endpoint", Type.TEXT, "",
      "S3-compatible endpoint URL (none: AWS for the region)"),
    new Option(StorageConfig.S3_BUCKET, "--s3-bucket", Type.TEXT, "",
      "Store accepted files in this existing bucket instead of the storage directory"),
    new Option(StorageConfig.S3_REGION, "--s3-region", Type.TEXT, "us-east-1", "S3 region"),
    new Option(StorageConfig.S3_PATH_STYLE, "--s3-path-style", Type.FLAG, false,
      "Address the bucket in the path (most S3-compatible servers need it)"),
    new Option(StorageConfig.S3_ACCESS_KEY, null, Type.TEXT, "",
      "S3 access key (none: the AWS SDK's credential chain)"),
    new Option(StorageConfig.S3_SECRET_KEY, null, Type.TEXT, "", "S3 secret key"),
    new Option(HttpApiVerticle.TRUST_FORWARDED_FOR, "--trust-forwarded-for", Type.FLAG, false,
      "Behind a reverse proxy: count sign-in and rejoin attempts per the address the proxy appends to X-Forwarded-For"),
    new Option(PersistenceVerticle.SIGN_IN_PER_ACCOUNT, "--limit-sign-in-account", Type.NUMBER, 5,
      "Failed sign-ins per username, within the limits window, before it is locked out (checked by the writer)"),
    new Option(PersistenceVerticle.SIGN_IN_PER_SOURCE, "--limit-sign-in-source", Type.NUMBER, 50,
      "Failed sign-ins per source address, within the limits window, before it is locked out"),
    new Option(PersistenceVerticle.REJOIN_PER_NICKNAME, "--limit-rejoin-nickname", Type.NUMBER, 5,
      "Wrong personal codes per attendee, within the limits window, before its nickname is locked out"),
    new Option(PersistenceVerticle.REJOIN_PER_SOURCE, "--limit-rejoin-source", Type.NUMBER, 300,
      "Wrong personal codes per source address (a venue NAT counts as one), within the limits window"),
    new Option(PersistenceVerticle.LIMIT_WINDOW_SECONDS, "--limit-window", Type.NUMBER, 900,
      "Seconds in which a key forgets as many failures as its limit allows"),
    new Option(PersistenceVerticle.LOCKOUT_SECONDS, "--lockout", Type.NUMBER, 30,
      "First lockout, seconds; each further lockout of the same key doubles it"),
    new Option(PersistenceVerticle.MAX_LOCKOUT_SECONDS, "--max-lockout", Type.NUMBER, 900, "Longest lockout, seconds"),
    new Option(PersistenceVerticle.MAX_ATTEMPT_KEYS, "--limit-keys", Type.NUMBER, 100_000,
      "Failed-attempt counters the writer keeps in memory; the least recently used go first"),
    new Option(Tokens.MAX_REVOKED, "--max-revoked-sessions", Type.NUMBER, Tokens.DEFAULT_MAX_REVOKED,
      "Signed-out sessions each verticle remembers until they expire; past it the oldest become per-account cut-offs"),
    new Option(CredentialsConfig.ISSUER_NAME, "--issuer-name", Type.TEXT, "Open Codelabs",
      "Issuer name in certificates' Open Badges credentials and in the issuer profile"),
    new Option(CredentialsConfig.FONT, "--certificate-font", Type.TEXT, "",
      "TrueType (.ttf) font for certificate PDFs (none: NanumGothic from fonts-nanum if installed, else Latin-only Helvetica)"),
    new Option(ImportLimits.MAX_BYTES, "--import-max-file", Type.NUMBER, 50 << 20,
      "Largest codelab file (ZIP or Markdown) one import may upload, bytes (past it: 413, nothing kept)"),
    new Option(ImportLimits.MAX_ENTRIES, "--import-max-entries", Type.NUMBER, 1_000,
      "Entries an imported ZIP may have (past it: 400)"),
    new Option(ImportLimits.MAX_UNCOMPRESSED_BYTES, "--import-max-unpacked", Type.NUMBER, 100 << 20,
      "Bytes an imported ZIP may unpack to, all entries together (past it: 413)"),
    new Option(ImportLimits.MAX_RATIO, "--import-max-ratio", Type.NUMBER, 100,
      "How many times its own size an imported ZIP (or an entry past 1 MiB) may unpack to (past it: 413)"),
    new Option(ImportLimits.MAX_IN_FLIGHT, "--imports-in-flight", Type.NUMBER, 2,
      "Imports a node reads and stores at once before it answers busy (each holds its unpacked files in memory)")),
    connectionLimits(HttpApiVerticle.LIMITS, "--http-", "HTTP API", ConnectionLimits.API),
    List.of(new Option(HttpApiVerticle.LIMITS + ConnectionLimits.UPLOAD_TIMEOUT_MS, "--http-upload-timeout", Type.NUMBER,
      (int) ConnectionLimits.API.uploadTimeoutMs(),
      "Milliseconds an upload may take from its request head to its answer before its connection is closed")),
    connectionLimits(BridgeVerticle.LIMITS, "--bridge-", "realtime", ConnectionLimits.BRIDGE),
    List.of(
      new Option(PersistenceVerticle.BACKUP_DIR, "--backup-dir", Type.TEXT, "",
        "Directory the writer puts backups in (none: <data-dir>/backups); best on another disk"),
      new Option(PersistenceVerticle.BACKUP_INTERVAL_SECONDS, "--backup-every", Type.NUMBER, 3_600,
        "Seconds between scheduled backups taken by the writer (0: only on demand)"),
      new Option(PersistenceVerticle.BACKUP_KEEP, "--backup-keep", Type.NUMBER, 8,
        "Newest complete backups kept; older ones are deleted after each backup"),
      new Option(PersistenceVerticle.BACKUP_COPY_PREFIX, "--backup-copy-prefix", Type.TEXT, "",
        "Also copy each backup into the file storage (the S3 bucket, when one is set) under this prefix (none: no copy)"),
      new Option(PersistenceVerticle.AUDIT_RETENTION_DAYS, "--audit-retention-days", Type.NUMBER, 180,
        "Days the audit log keeps an entry; the writer prunes older ones hourly, a thousand per batch")),
    List.of(
      new Option(BridgeVerticle.TCP_PORT, "--tcp-bridge-port", Type.NUMBER, 8082,
        "TCP event-bus bridge port for services (0 picks a free one, -1: no TCP bridge)"),
      new Option(BridgeVerticle.TCP_HOST, "--tcp-bridge-host", Type.TEXT, "0.0.0.0", "TCP bridge interface to listen on"),
      new Option(BridgeVerticle.TCP_KEY_STORE, "--tcp-bridge-key-store", Type.TEXT, "",
        "TLS on the TCP bridge with this PKCS#12 (or .jks) key store (none: plain TCP unless a PEM certificate is set)"),
      new Option(BridgeVerticle.TCP_KEY_STORE_PASSWORD, null, Type.TEXT, "", "Password of the TCP bridge's key store"),
      new Option(BridgeVerticle.TCP_CERT, "--tcp-bridge-cert", Type.TEXT, "",
        "TLS on the TCP bridge with this PEM certificate chain (and --tcp-bridge-key)"),
      new Option(BridgeVerticle.TCP_KEY, "--tcp-bridge-key", Type.TEXT, "", "PEM private key of --tcp-bridge-cert"),
      new Option(BridgeVerticle.TCP_LIMITS + ConnectionLimits.HEADER_TIMEOUT_MS, "--tcp-bridge-auth-timeout", Type.NUMBER,
        (int) ConnectionLimits.TCP_BRIDGE.headerTimeoutMs(),
        "TCP bridge: milliseconds a new connection has to send its first frame and be signed in"),
      new Option(BridgeVerticle.TCP_LIMITS + ConnectionLimits.IDLE_TIMEOUT_MS, "--tcp-bridge-idle-timeout", Type.NUMBER,
        (int) ConnectionLimits.TCP_BRIDGE.idleTimeoutMs(),
        "TCP bridge: milliseconds a connection may neither send nor receive before it is closed"),
      new Option(BridgeVerticle.TCP_LIMITS + ConnectionLimits.MAX_CONNECTIONS, "--tcp-bridge-max-connections",
        Type.NUMBER, ConnectionLimits.TCP_BRIDGE.maxConnections(),
        "TCP bridge: open connections; new ones past it are closed at once (default: a share of the files this process"
        + " may open, at most 500)"),
      new Option(BridgeVerticle.TCP_LIMITS + ConnectionLimits.MAX_PENDING, "--tcp-bridge-max-pending", Type.NUMBER,
        ConnectionLimits.TCP_BRIDGE.maxPending(), "TCP bridge: connections not signed in yet; past it the oldest is closed"),
      new Option(BridgeVerticle.TCP_LIMITS + ConnectionLimits.MAX_PENDING_PER_ADDRESS, "--tcp-bridge-max-pending-per-address",
        Type.NUMBER, ConnectionLimits.TCP_BRIDGE.maxPendingPerAddress(),
        "TCP bridge: connections from one address not signed in yet; new ones past it are closed")),
    List.of(
      new Option(MetricsEndpoint.PORT, "--metrics-port", Type.NUMBER, 9464,
        "Management port serving GET /metrics to Prometheus (0 picks a free one; -1: no metrics, nothing recorded)"),
      new Option(MetricsEndpoint.HOST, "--metrics-host", Type.TEXT, "127.0.0.1",
        "Interface of the metrics port: loopback unless Prometheus scrapes from another host"),
      new Option(MetricsEndpoint.TOKEN, null, Type.TEXT, "",
        "Bearer token a scrape of the metrics port must present (none: the port's interface is the protection)")),
    List.of(
      new Option(ApiKeys.MAX_PER_FACILITATOR, "--api-keys-per-facilitator", Type.NUMBER,
        ApiKeys.DEFAULT_MAX_PER_FACILITATOR, "Active (unrevoked, unexpired) API keys one facilitator may have"),
      new Option(ApiKeys.CACHE_SIZE, "--api-key-cache", Type.NUMBER, ApiKeys.DEFAULT_CACHE_SIZE,
        "API key records each API and bridge verticle keeps (each for a minute) to verify keys without asking the writer")),
    List.of(
      new Option(WebhookConfig.ALLOW_HTTP, "--webhooks-allow-http", Type.FLAG, false,
        "Let webhook endpoints use plain http (default: https only)"),
      new Option(WebhookConfig.ALLOW_PRIVATE_TARGETS, "--webhooks-allow-private", Type.FLAG, false,
        "Let webhooks reach loopback, link-local, private, CGNAT and other internal addresses (default: refused)"),
      new Option(WebhookConfig.RETRY_WINDOW_MS, "--webhooks-retry-window", Type.NUMBER, 86_400_000,
        "Milliseconds a failing webhook delivery is retried before its endpoint is disabled and its owner told"),
      new Option(WebhookConfig.RETRY_BASE_MS, "--webhooks-retry-base", Type.NUMBER, 5_000,
        "Milliseconds before the first webhook retry; each later one waits about twice as long, with jitter"),
      new Option(WebhookConfig.RETRY_MAX_MS, "--webhooks-retry-max", Type.NUMBER, 3_600_000,
        "Longest wait between two webhook retries, milliseconds"),
      new Option(WebhookConfig.TIMEOUT_MS, "--webhooks-timeout", Type.NUMBER, 10_000,
        "Milliseconds a webhook request may take, connect to answer, before it counts as failed"),
      new Option(WebhookConfig.MAX_BODY_BYTES, "--webhooks-max-body", Type.NUMBER, 262_144,
        "Largest webhook request body, bytes; a larger event is logged as failed and skipped"),
      new Option(WebhookConfig.MAX_RESPONSE_BYTES, "--webhooks-max-response", Type.NUMBER, 65_536,
        "Response body bytes read from a webhook endpoint before the connection is reset"),
      new Option(WebhookConfig.ROTATION_OVERLAP_SECONDS, "--webhooks-rotation-overlap", Type.NUMBER, 86_400,
        "Seconds a rotated webhook secret keeps signing next to the new one"),
      new Option(WebhookConfig.LOG_ROWS, "--webhooks-log-rows", Type.NUMBER, 200,
        "Delivery log rows kept per webhook endpoint, newest first"),
      new Option(WebhookConfig.MAX_PER_FACILITATOR, "--webhooks-per-facilitator", Type.NUMBER, 20,
        "Webhook endpoints one facilitator may register"),
      new Option(WebhookConfig.POLL_MS, "--webhooks-poll", Type.NUMBER, 1_000,
        "Milliseconds between two reads of the endpoints and the log by the delivering node, besides each commit's nudge")),
    List.of(
      new Option(NIO, "--nio", Type.FLAG, false,
        "Serve sockets with Java NIO instead of Netty's native epoll transport (used where Linux x86-64 has it)")))
    .flatMap(List::stream).toList();

  private static List<Option> connectionLimits(String prefix, String flag, String server, ConnectionLimits defaults) {
    return List.of(
      new Option(prefix + ConnectionLimits.HEADER_TIMEOUT_MS, flag + "header-timeout", Type.NUMBER,
        (int) defaults.headerTimeoutMs(), server + ": milliseconds a new connection has to send a complete request head"),
      new Option(prefix + ConnectionLimits.REQUEST_TIMEOUT_MS, flag + "request-timeout", Type.NUMBER,
        (int) defaults.requestTimeoutMs(), server + ": milliseconds a request may take to be read and answered (past it: 408)"),
      new Option(prefix + ConnectionLimits.IDLE_TIMEOUT_MS, flag + "idle-timeout", Type.NUMBER,
        (int) defaults.idleTimeoutMs(), server + ": milliseconds a connection may neither send nor receive before it is closed"),
      new Option(prefix + ConnectionLimits.MAX_CONNECTIONS, flag + "max-connections", Type.NUMBER,
        defaults.maxConnections(), server + ": open connections; new ones past it are closed at once"
        + " (default: a share of the files this process may open)"),
      new Option(prefix + ConnectionLimits.MAX_PENDING, flag + "max-pending", Type.NUMBER, defaults.maxPending(),
        server + ": connections without a complete request head yet; past it the oldest is closed"),
      new Option(prefix + ConnectionLimits.MAX_PENDING_PER_ADDRESS, flag + "max-pending-per-address", Type.NUMBER,
        defaults.maxPendingPerAddress(),
        server + ": connections from one address without a complete request head yet; new ones past it are closed"));
  }

  private final JsonObject values;

  private NodeConfig(JsonObject values) {
    this.values = values;
  }

  public static NodeConfig of(JsonObject overrides) {
    JsonObject values = defaults();
    values.mergeIn(overrides);
    return new NodeConfig(values);
  }

  /** Throws IllegalArgumentException with a message for the user when something is wrong. */
  public static NodeConfig load(String[] args, Map<String, String> env) {
    JsonObject fromArgs = new JsonObject();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--config")) {
        fromArgs.put(CONFIG_FILE, value(args, ++i, arg));
        continue;
      }
      Option option = OPTIONS.stream().filter(o -> arg.equals(o.flag)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown option " + arg + " (see --help)"));
      fromArgs.put(option.key, option.type == Type.FLAG ? "true" : value(args, ++i, arg));
    }
    String file = fromArgs.getString(CONFIG_FILE, env.get("CODELABS_CONFIG"));
    JsonObject values = defaults();
    if (file != null) {
      JsonObject fromFile = readFile(Path.of(file));
      OPTIONS.stream().filter(Option::secret).filter(o -> fromFile.containsKey(o.key)).findFirst().ifPresent(o -> {
        throw new IllegalArgumentException(o.key + " is a secret: set it in " + o.env() + ", not in " + file);
      });
      values.mergeIn(fromFile);
    }
    for (Option option : OPTIONS) {
      String raw = fromArgs.getString(option.key, env.get(option.env()));
      if (raw != null) {
        values.put(option.key, parse(option, raw));
      }
    }
    NodeConfig config = new NodeConfig(values);
    config.roles();
    config.checkCore();
    return config;
  }

  public static boolean wantsHelp(String[] args) {
    return List.of(args).contains("--help") || List.of(args).contains("-h");
  }

  public static String usage() {
    StringBuilder text = new StringBuilder("""
      Usage: java -jar codelabs.jar [options]

      Runs one Open Codelabs node. With no options: every role, SQLite under ./data, HTTP on 8080.
      Each option can also be set by its environment variable or in a JSON file (--config FILE or
      CODELABS_CONFIG) under its key; options win over variables, variables over the file.

      JVM sizing (java options before -jar): -XX:+UseSerialGC -Xms32m -XX:MaxNewSize=32m
      -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MaxDirectMemorySize=256m -XX:TrimNativeHeapInterval=5000
      and -Xmx of 256 MB plus 40 KB per attendee expected at once (-Xmx300m for 1,000, -Xmx660m for 10,000,
      -Xmx1060m for 20,000): a socket keeps about 18 KB live, the rest covers two imports in flight. Without
      -Xms the heap starts at 1/64 of the machine's memory; the others keep what is resident near what is live.
      A core node (--core-peers) runs -XX:+UseZGC in place of the Serial collector: its writer answers only after
      its own apply, so every pause of the collector lands on the acknowledgements in flight.

      """);
    text.append(String.format("  %-22s %-30s %s%n", "--config FILE", "CODELABS_CONFIG", "JSON file of keys below"));
    for (Option option : OPTIONS) {
      String flag = option.secret() ? "(environment only)" : option.flag + (option.type == Type.FLAG ? "" : " V");
      text.append(String.format("  %-22s %-30s %s (key %s, default %s)%n", flag, option.env(), option.help,
        option.key, option.fallback.toString().isEmpty() ? "none" : option.fallback));
    }
    return text.append("  --help\n").toString();
  }

  public JsonObject json() {
    return values.copy();
  }

  public Set<Role> roles() {
    try {
      return EnumSet.copyOf(List.of(values.getString(ROLES).split(",")).stream()
        .map(String::strip).filter(s -> !s.isEmpty())
        .map(s -> Role.valueOf(s.toUpperCase(Locale.ROOT))).collect(Collectors.toSet()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("roles must be a comma-separated list of: api, bridge, persistence, uploads");
    }
  }

  private void checkCore() {
    if (values.getString(CoreReplica.PEERS).isEmpty()) {
      if (values.getBoolean(CoreReplica.JOIN)) {
        throw new IllegalArgumentException("--core-join needs --core-peers naming this node's address and --core-id");
      }
      return;
    }
    if (!clustered() || !roles().contains(Role.PERSISTENCE)) {
      throw new IllegalArgumentException("--core-peers is for nodes started with --cluster and the persistence role");
    }
    String id = values.getString(CoreReplica.ID);
    if (CoreReplica.peers(values.getString(CoreReplica.PEERS)).stream().noneMatch(peer -> peer.getId().toString().equals(id))) {
      throw new IllegalArgumentException("--core-id must name one of --core-peers (got '" + id + "')");
    }
  }

  public boolean clustered() {
    return values.getBoolean(CLUSTER);
  }

  private static JsonObject defaults() {
    JsonObject values = new JsonObject();
    OPTIONS.forEach(option -> values.put(option.key, option.fallback));
    return values;
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[index];
  }

  private static Object parse(Option option, String raw) {
    return switch (option.type) {
      case TEXT -> raw;
      case FLAG -> Boolean.parseBoolean(raw) || raw.equals("1");
      case NUMBER -> {
        try {
          yield Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(option.flag + " / " + option.env() + " must be a number, not " + raw);
        }
      }
    };
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot read the config file " + file + ": " + e.getMessage());
    }
  }
}

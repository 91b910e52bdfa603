package io.codelabs.persistence;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.SharedConfig;
import io.codelabs.credentials.CredentialsConfig;
import io.codelabs.credentials.InstanceKey;
import io.codelabs.metrics.Meters;
import io.codelabs.outbound.WebhookConfig;
import io.codelabs.storage.Storage;
import io.codelabs.storage.UploadLimits;
import io.codelabs.tokens.ApiKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the SQLite file: migrates it, takes the writer lease (the next term, which fences any
 * earlier writer), runs the single writer and answers reads from a small pool. Deploy it only on
 * the node that holds the cluster-wide writer lock: it registers every persistence consumer.
 * On a core node of a replicated cluster it is deployed while that node leads the log: the writer's
 * batches then commit through the {@link CoreReplica}, the file is the one the replica keeps, and its
 * consumers are on this node only, behind the node's {@link CoreRouter}.
 */
public final class PersistenceVerticle extends VerticleBase {
  public static final String SYNCHRONOUS = "writer.synchronous";
  public static final String QUEUE_SIZE = "writer.queueSize";
  public static final String MAX_BATCH = "writer.maxBatch";
  public static final String READ_POOL_SIZE = "reader.poolSize";
  public static final String REPLAY_WINDOW = "replay.window";
  public static final String SIGN_IN_PER_ACCOUNT = "limits.signIn.perAccount";
  public static final String SIGN_IN_PER_SOURCE = "limits.signIn.perSource";
  public static final String REJOIN_PER_NICKNAME = "limits.rejoin.perNickname";
  public static final String REJOIN_PER_SOURCE = "limits.rejoin.perSource";
  public static final String LIMIT_WINDOW_SECONDS = "limits.windowSeconds";
  public static final String LOCKOUT_SECONDS = "limits.lockoutSeconds";
  public static final String MAX_LOCKOUT_SECONDS = "limits.maxLockoutSeconds";
  public static final String MAX_ATTEMPT_KEYS = "limits.maxKeys";
  public static final String BACKUP_DIR = "backup.dir";
  public static final String BACKUP_INTERVAL_SECONDS = "backup.intervalSeconds";
  public static final String BACKUP_KEEP = "backup.keep";
  public static final String BACKUP_COPY_PREFIX = "backup.copyPrefix";
  public static final String AUDIT_RETENTION_DAYS = "audit.retentionDays";
  /**
   * True when a standby takes over: the database must exist already. A standby that cannot reach
   * the writer's file must not start an empty database of its own.
   */
  public static final String TAKEOVER = "writer.takeover";

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);
  /** What the writer answers besides its commands and its read and certificate queries. */
  private static final Set<Address> OWN_ADDRESSES = EnumSet.of(Address.ATTEMPTS_CHECK, Address.ATTEMPTS_CLEAR,
    Address.BACKUP_START, Address.BACKUP_LIST, Address.CORE_MEMBERS_LIST, Address.CORE_MEMBERS_CHANGE,
    Address.WRITER_STATUS);
  private static final long AUDIT_PRUNE_INTERVAL_MS = 3_600_000;

  private record Opened(Writer.BatchLog log, Map<String, String> settings, boolean hasFacilitator, long term,
                        InstanceKey key) {
  }

  private final CoreReplica replica;
  private Set<Address> routed = Set.of();

  private Writer writer;
  private Pool readPool;
  private Storage storage;
  private long backupTimer = -1;
  private long pruneTimer = -1;
  private volatile boolean hasFacilitator;
  private volatile long term;
  private final Promise<Void> fenced = Promise.promise();

  /** The writer of its own file, behind the writer lease. */
  public PersistenceVerticle() {
    this(null);
  }

  /** The writer of the core nodes' replicated log, while this node leads it. */
  public PersistenceVerticle(CoreReplica replica) {
    this.replica = replica;
  }

  @Override
  public Future<?> start() {
    Path dataDir = Path.of(config().getString(SharedConfig.DATA_DIR));
    String synchronous = config().getString(SYNCHRONOUS);
    String nodeId = config().getString(BusClient.NODE_ID_KEY, "");
    long since = System.currentTimeMillis();
    boolean takeover = config().getBoolean(TAKEOVER, false);
    FileCommands.Limits limits = limits(config());
    Map<Address, Writer.Command> commands = busCommands(config());
    Map<String, Writer.Command> byName = byName(commands);
    if (replica != null) {
      routed = served(vertx, config());
    }
    Future<Opened> ready = replica == null
      ? vertx.executeBlocking(() -> open(dataDir, synchronous, nodeId, takeover)).map(opened -> {
        startWriter(opened.log, byName);
        return opened;
      })
      : leadReplica(dataDir, byName);
    return ready.compose(opened -> {
      Map<String, String> settings = opened.settings;
      hasFacilitator = opened.hasFacilitator;
      term = opened.term;
      readPool = JDBCPool.pool(vertx, Database.readerDataSource(dataDir),
        new PoolOptions().setMaxSize(config().getInteger(READ_POOL_SIZE)));
      ReadQueries queries = new ReadQueries(vertx, readPool, settings.get("epoch"), settings.get("jwt_secret"),
        config().getInteger(REPLAY_WINDOW), limits);
      List<Future<Void>> registered = new ArrayList<>();
      commands.keySet().forEach(address ->
        registered.add(consume(address, body -> writer.submit(address.address, body))));
      reads(vertx, config(), readPool, settings.get("epoch"), settings.get("jwt_secret"), opened.key)
        .forEach((address, query) -> registered.add(consume(address, query)));
      AttemptCommands attempts = new AttemptCommands(config(), writer);
      registered.add(consume(Address.ATTEMPTS_CHECK, attempts::check));
      registered.add(consume(Address.ATTEMPTS_CLEAR, attempts::clear));
      storage = Storage.create(vertx, config());
      Backups backups = new Backups(vertx, writer, storage, backupDir(dataDir), config().getInteger(BACKUP_KEEP),
        config().getString(BACKUP_COPY_PREFIX), settings.get("epoch"), term, nodeId);
      registered.add(consume(Address.BACKUP_START, backups::onDemand));
      registered.add(consume(Address.BACKUP_LIST, backups::list));
      schedule(backups);
      CoreMembers members = new CoreMembers(vertx, replica, writer, queries);
      registered.add(consume(Address.CORE_MEMBERS_LIST, members::list));
      registered.add(consume(Address.CORE_MEMBERS_CHANGE, members::change));
      pruneAuditLog();
      registered.add(consume(Address.WRITER_STATUS, body -> Future.succeededFuture(new JsonObject()
        .put("node", nodeId)
        .put("term", term)
        .put("since", since)
        .put("queueDepth", writer.queued())
        .put("batches", writer.batches.get())
        .put("commands", writer.commands.get()))));
      LOG.info("Database {} ready (epoch {}, writer term {})", Database.url(dataDir), settings.get("epoch"), term);
      return Future.all(registered);
    });
  }

  /**
   * Every address the writer answers, from the same maps it registers: a core node's router registers them in the
   * cluster at the node's start, before it ever leads.
   */
  static Set<Address> served(Vertx vertx, JsonObject config) {
    Set<Address> served = EnumSet.copyOf(OWN_ADDRESSES);
    served.addAll(busCommands(config).keySet());
    served.addAll(reads(vertx, config, null, null, null, null).keySet());
    return served;
  }

  /** The writer's read queries on the pool's file, with the identity that file holds. */
  static Map<Address, Function<JsonObject, Future<JsonObject>>> reads(Vertx vertx, JsonObject config, Pool pool,
                                                                     String epoch, String jwtSecret, InstanceKey key) {
    Map<Address, Function<JsonObject, Future<JsonObject>>> reads = new ReadQueries(vertx, pool, epoch, jwtSecret,
      config.getInteger(REPLAY_WINDOW), limits(config)).all();
    reads.putAll(new CertificateQueries(vertx, pool, key, config.getString(CredentialsConfig.ISSUER_NAME)).all());
    return reads;
  }

  /** What every core node's replica runs a batch's names with. */
  static Map<String, Writer.Command> commands(JsonObject config) {
    return byName(busCommands(config));
  }

  private static FileCommands.Limits limits(JsonObject config) {
    return new FileCommands.Limits(config.getLong(UploadLimits.MAX_ATTENDEE_BYTES),
      config.getInteger(UploadLimits.MAX_SUBMISSIONS));
  }

  private static Map<Address, Writer.Command> busCommands(JsonObject config) {
    Map<Address, Writer.Command> commands = WriteCommands.all();
    commands.putAll(new FileCommands(limits(config)).all());
    commands.putAll(new ApiKeyCommands(config.getInteger(ApiKeys.MAX_PER_FACILITATOR)).all());
    commands.putAll(new WebhookCommands(new WebhookCommands.Limits(config.getInteger(WebhookConfig.LOG_ROWS),
      config.getInteger(WebhookConfig.MAX_PER_FACILITATOR))).all());
    return commands;
  }

  private static Map<String, Writer.Command> byName(Map<Address, Writer.Command> commands) {
    Map<String, Writer.Command> byName = new HashMap<>();
    commands.forEach((address, command) -> byName.put(address.address, command));
    return byName;
  }

  private void startWriter(Writer.BatchLog log, Map<String, Writer.Command> byName) {
    writer = new Writer(log, byName, fenced::tryComplete, context, vertx.eventBus(), Meters.of(vertx).writer,
      config().getInteger(QUEUE_SIZE), config().getInteger(MAX_BATCH));
    writer.start();
  }

  /**
   * The leader's first batch: its file's identity, which the log takes only if no earlier leader's
   * is in it, and in return the identity every core node's file now has.
   */
  private Future<Opened> leadReplica(Path dataDir, Map<String, Writer.Command> byName) {
    startWriter(replica, byName);
    return vertx.executeBlocking(() -> {
      try (Connection connection = Database.readerDataSource(dataDir).getConnection()) {
        return Identity.proposal(connection);
      }
    }).compose(proposal -> writer.submit(Writer.Internal.ADOPT_IDENTITY, proposal)).map(identity -> new Opened(replica,
      Map.of("epoch", identity.getString("epoch"), "jwt_secret", identity.getString("jwt_secret")),
      identity.getBoolean("hasFacilitator"), replica.term(), InstanceKey.parse(identity.getString("privateJwk"))));
  }

  private Path backupDir(Path dataDir) {
    String configured = config().getString(BACKUP_DIR);
    return configured.isEmpty() ? dataDir.resolve("backups") : Path.of(configured);
  }

  private void schedule(Backups backups) {
    long intervalSeconds = config().getLong(BACKUP_INTERVAL_SECONDS);
    if (intervalSeconds > 0) {
      backupTimer = vertx.setPeriodic(intervalSeconds * 1000, timer -> backups.scheduled()
        .onFailure(failure -> LOG.warn("Scheduled backup not started: {}", failure.getMessage())));
    }
  }

  /** Now and every hour: a writer that runs for months keeps the log to its retention period. */
  private void pruneAuditLog() {
    long retentionMs = config().getLong(AUDIT_RETENTION_DAYS) * 24 * 3_600_000;
    Runnable prune = () -> AuditCommands.prune(writer, retentionMs)
      .onSuccess(deleted -> {
        if (deleted > 0) {
          LOG.info("Pruned {} audit log entries older than {} days", deleted, config().getLong(AUDIT_RETENTION_DAYS));
        }
      })
      .onFailure(failure -> LOG.warn("Audit log not pruned: {}", failure.getMessage()));
    prune.run();
    pruneTimer = vertx.setPeriodic(AUDIT_PRUNE_INTERVAL_MS, timer -> prune.run());
  }

  /** Whether the database had a facilitator account when this verticle opened it. */
  public boolean hasFacilitator() {
    return hasFacilitator;
  }

  /** The writer term this verticle took when it started. */
  public long term() {
    return term;
  }

  /**
   * Completes when a later writer took the lease over (this one was cut off from the cluster, for
   * instance frozen): it has already answered every waiting command busy and stopped writing.
   */
  public Future<Void> fenced() {
    return fenced.future();
  }

  /** Lets every queued command commit and be answered before the connection closes. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(backupTimer);
    vertx.cancelTimer(pruneTimer);
    if (storage != null) {
      storage.close();
    }
    Future<Void> drained = writer == null ? Future.succeededFuture() : writer.close();
    return drained.compose(v -> readPool == null ? Future.succeededFuture() : readPool.close());
  }

  /**
   * For a standby, at start: the writer term in the database it would take over, read-only. It
   * fails when the file cannot be read from this node, and it loads the SQLite driver now rather
   * than during a takeover.
   */
  public static Future<Long> currentTerm(Vertx vertx, JsonObject config) {
    Path dataDir = Path.of(config.getString(SharedConfig.DATA_DIR));
    return vertx.executeBlocking(() -> {
      requireDatabase(dataDir);
      try (Connection connection = Database.readerDataSource(dataDir).getConnection();
           Statement statement = connection.createStatement();
           ResultSet row = statement.executeQuery("SELECT term FROM writer_lease WHERE id = 1")) {
        return row.next() ? row.getLong(1) : 0L;
      }
    });
  }

  private static void requireDatabase(Path dataDir) {
    Path file = dataDir.resolve(Database.FILE_NAME).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("No database at " + file
        + ": the writer's database file must be on storage this node reaches too");
    }
  }

  private static Opened open(Path dataDir, String synchronous, String nodeId, boolean takeover) throws Exception {
    if (takeover) {
      requireDatabase(dataDir);
    }
    Files.createDirectories(dataDir);
    Database.migrate(dataDir);
    Connection connection = OwnFile.connect(dataDir, synchronous);
    long term = OwnFile.takeLease(connection, nodeId);
    InstanceKey key = InstanceKeys.loadOrCreate(connection);
    Map<String, String> settings = new HashMap<>();
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT key, value FROM settings")) {
      while (rows.next()) {
        settings.put(rows.getString(1), rows.getString(2));
      }
    }
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM facilitators)")) {
      return new Opened(new OwnFile(connection, dataDir, synchronous, settings.get("epoch"), term), settings, rows.next() && rows.getBoolean(1),
        term, key);
    }
  }

  /**
   * In the cluster's registry for a writer behind the lease; on a core node only on this node, where its router hands
   * it what the cluster sends the leader.
   */
  private Future<Void> consume(Address address, Function<JsonObject, Future<JsonObject>> handler) {
    Handler<Message<JsonObject>> answer = message -> Future.succeededFuture(message.body()).compose(handler).onComplete(
      message::reply,
      failure -> fail(message, failure));
    if (replica == null) {
      return vertx.eventBus().consumer(address.address, answer).completion();
    }
    if (!routed.contains(address)) {
      return Future.failedFuture(new IllegalStateException(address.address + " is not among the addresses a core node's router takes"));
    }
    return vertx.eventBus().localConsumer(address.onLeader(), answer).completion();
  }

  private static void fail(Message<JsonObject> message, Throwable failure) {
    if (failure instanceof BusFailure busFailure) {
      message.fail(busFailure.code.code, busFailure.getMessage());
    } else {
      LOG.error("Unexpected failure on {}", message.address(), failure);
      message.fail(ErrorCode.INTERNAL.code, "Internal error");
    }
  }
}

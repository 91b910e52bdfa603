package io.codelabs.persistence;

import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This node's member of the core nodes' replicated log (Apache Ratis): its own SQLite file, kept
 * by {@link BatchStateMachine}, and the writer's {@link Writer.BatchLog} while this node leads. A
 * batch is answered once a majority of the core nodes holds it and this node's file has applied it.
 */
public final class CoreReplica implements Writer.BatchLog {
  public static final String PEERS = "core.peers";
  public static final String ID = "core.id";
  public static final String SNAPSHOT_EVERY = "core.snapshotEvery";
  public static final String JOIN = "core.join";
  /** Fixed, so that every core node of every cluster agrees on the group without being told. */
  static final RaftGroupId GROUP = RaftGroupId.valueOf(
    UUID.nameUUIDFromBytes("codelabs-core".getBytes(StandardCharsets.UTF_8)));
  /** A majority that does not answer within this is a lost seat: the batch is answered busy and retried. */
  private static final long COMMIT_TIMEOUT_MS = 5_000;
  /**
   * How long a core node keeps a reply for a resent request. The writer never resends one (each batch is a new call),
   * and Ratis' default of 60 s kept a minute of a sustained load's replies on every core node.
   */
  private static final long RETRY_CACHE_SECONDS = 1;
  /** Within a sender's wait; a leader that cannot confirm a read in this long is being replaced. */
  static final long READ_BARRIER_MS = 2_000;
  /**
   * A segment of the replicated log; the entries of the open one and of one closed one are kept in heap. Ratis' default
   * kept six of 32 MB: under a sustained load every core node held up to 200 MB of entries that each young collection
   * copied again until they were old. An appender or a restarted node needing older entries reads them from disk.
   */
  static final SizeInBytes LOG_SEGMENT = SizeInBytes.valueOf("4MB");
  static final int LOG_SEGMENTS_CACHED = 2;

  private final RaftServer server;
  private final BatchStateMachine stateMachine;
  private final RaftPeerId self;
  private final Path dataDir;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  private CoreReplica(RaftServer server, BatchStateMachine stateMachine, RaftPeerId self, Path dataDir) {
    this.server = server;
    this.stateMachine = stateMachine;
    this.self = self;
    this.dataDir = dataDir;
  }

  /**
   * Joins the core nodes named in the config. {@code leadership} is told, on a Ratis thread, true
   * once this node leads with its term's first entry committed, false when it stops leading.
   */
  public static Future<CoreReplica> start(Vertx vertx, JsonObject config, Consumer<Boolean> leadership) {
    return vertx.executeBlocking(() -> {
      Path dataDir = Path.of(config.getString(SharedConfig.DATA_DIR));
      RaftPeerId self = RaftPeerId.valueOf(config.getString(ID));
      RaftGroup listed = RaftGroup.valueOf(GROUP, peers(config.getString(PEERS)));
      RaftPeer own = listed.getPeer(self);
      if (own == null) {
        throw new IllegalArgumentException("core id " + self + " is not one of the core peers");
      }
      // A joining node starts outside every configuration: it runs no election and waits for the leader to add it
      // (then it receives a snapshot and the log). Once its log holds a configuration, that one counts, not the flags.
      RaftGroup group = config.getBoolean(JOIN, false) ? RaftGroup.valueOf(GROUP) : listed;
      Path storage = dataDir.resolve("raft");
      RaftProperties properties = properties(own, storage, config.getInteger(SNAPSHOT_EVERY));
      Files.createDirectories(dataDir);
      BatchStateMachine stateMachine = new BatchStateMachine(dataDir,
        Writer.withInternal(PersistenceVerticle.commands(config)), leadership::accept);
      RaftServer server = RaftServer.newBuilder().setGroup(group).setServerId(self).setProperties(properties)
        .setStateMachine(stateMachine)
        .setOption(Files.isDirectory(storage) ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
      server.start();
      return new CoreReplica(server, stateMachine, self, dataDir);
    });
  }

  /** {@code id=host:port,...}: the same list on every core node. */
  public static List<RaftPeer> peers(String list) {
    List<RaftPeer> peers = new ArrayList<>();
    for (String entry : list.split(",")) {
      String[] idAndAddress = entry.trim().split("=", 2);
      if (idAndAddress.length != 2) {
        throw new IllegalArgumentException("core peers must read id=host:port,id=host:port,... (got " + entry + ")");
      }
      peers.add(peer(idAndAddress[0].trim(), idAndAddress[1].trim()));
    }
    distinct(peers);
    return peers;
  }

  /** A core node as the log names it: an id of letters, digits, dot, dash or underscore, and its replication address. */
  static RaftPeer peer(String id, String address) {
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("a core node id is 1-64 letters, digits, '.', '_' or '-' (got '" + id + "')");
    }
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "" : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace) || !port.matches("[0-9]{1,5}")
      || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
      throw new IllegalArgumentException("core node " + id + ": the address must read host:port with a port of 1-65535"
        + " (got '" + address + "')");
    }
    return RaftPeer.newBuilder().setId(id).setAddress(address).build();
  }

  /** No id and no address twice. */
  static void distinct(List<RaftPeer> peers) {
    for (int i = 0; i < peers.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (peers.get(i).getId().equals(peers.get(j).getId())) {
          throw new IllegalArgumentException("core node id " + peers.get(i).getId() + " is listed twice");
        }
        if (peers.get(i).getAddress().equals(peers.get(j).getAddress())) {
          throw new IllegalArgumentException("core nodes " + peers.get(j).getId() + " and " + peers.get(i).getId()
            + " have the same address " + peers.get(i).getAddress());
        }
      }
    }
  }

  private static RaftProperties properties(RaftPeer own, Path storage, int snapshotEvery) {
    RaftProperties properties = new RaftProperties();
    // gRPC matches each reply to its request by call id (Netty's transport goes by arrival order), so a core node
    // stopped mid-call and resumed hears the new term and catches up.
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    String address = own.getAddress();
    GrpcConfigKeys.Server.setHost(properties, address.substring(0, address.lastIndexOf(':')));
    GrpcConfigKeys.Server.setPort(properties, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    RaftServerConfigKeys.setStorageDir(properties, List.of(storage.toFile()));
    // A leader not heard from for 1-2 s is replaced: well past a young-generation pause, well within the 5 s a
    // conference room waits before it retries.
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    // A follower answers reads from its own file once that file has applied what the leader had committed (ReadIndex).
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(properties, TimeDuration.valueOf(READ_BARRIER_MS, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.RetryCache.setExpiryTime(properties, TimeDuration.valueOf(RETRY_CACHE_SECONDS, TimeUnit.SECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, snapshotEvery);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    // Ratis' default appends an entry recording the commit index after every commit, which doubled the appends, log
    // syncs and messages of every batch; a restarted core node learns the commit index from the leader and resumes
    // from the index its own file recorded.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, Math.min(snapshotEvery, 1024));
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, LOG_SEGMENT);
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(properties, LOG_SEGMENTS_CACHED);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(properties,
      SizeInBytes.valueOf(LOG_SEGMENT.getSize() * LOG_SEGMENTS_CACHED));
    return properties;
  }

  /** A leader the admin removed may still hold the role until it steps down; it must not write meanwhile. */
  public boolean leading() {
    RaftServer.Division division = division();
    if (division == null) {
      return false;
    }
    DivisionInfo info = division.getInfo();
    return info.isLeader() && info.isLeaderReady() && division.getRaftConf().getCurrentPeers().stream()
      .anyMatch(peer -> peer.getId().equals(self));
  }

  /**
   * The core node this node takes for the leader: null while none is known, and while this node stands for election,
   * which it does once the leader it knew went silent.
   */
  public String leaderId() {
    DivisionInfo info = info();
    RaftPeerId leader = info == null || info.isCandidate() ? null : info.getLeaderId();
    return leader == null ? null : leader.toString();
  }

  public String selfId() {
    return self.toString();
  }

  public long term() {
    DivisionInfo info = info();
    return info == null ? 0 : info.getCurrentTerm();
  }

  private DivisionInfo info() {
    RaftServer.Division division = division();
    return division == null ? null : division.getInfo();
  }

  private RaftServer.Division division() {
    try {
      return server.getDivision(GROUP);
    } catch (IOException e) {
      return null;
    }
  }

  /** The core nodes of the configuration in force, as this node sees it. */
  List<RaftPeer> currentPeers() {
    RaftServer.Division division = division();
    return division == null ? List.of() : List.copyOf(division.getRaftConf().getCurrentPeers());
  }

  /**
   * The configuration in force: each core node with its address, whether it leads, and the commit index this node
   * knows of it; {@code changing} while the log moves from one configuration to the next.
   */
  JsonObject members() {
    RaftServer.Division division = division();
    if (division == null) {
      throw new IllegalStateException("The replicated log is not running on this node");
    }
    DivisionInfo info = division.getInfo();
    RaftConfiguration conf = division.getRaftConf();
    Map<String, Long> committed = new HashMap<>();
    for (CommitInfoProto commit : division.getCommitInfos()) {
      committed.put(commit.getServer().getId().toStringUtf8(), commit.getCommitIndex());
    }
    RaftPeerId leader = info.getLeaderId();
    JsonArray peers = new JsonArray();
    for (RaftPeer peer : conf.getCurrentPeers()) {
      String id = peer.getId().toString();
      peers.add(new JsonObject().put("id", id).put("address", peer.getAddress())
        .put("role", peer.getId().equals(leader) ? "leader" : "follower")
        .put("commitIndex", committed.get(id)));
    }
    return new JsonObject().put("self", self.toString()).put("leader", leader == null ? null : leader.toString())
      .put("term", info.getCurrentTerm()).put("appliedIndex", info.getLastAppliedIndex())
      .put("changing", !conf.getPreviousPeers().isEmpty()).put("peers", peers);
  }

  /**
   * Asks the log to move to exactly these core nodes, if the configuration is still {@code current}: Ratis catches
   * new ones up (snapshot, then log) before the joint configuration commits, then commits the new one.
   */
  CompletableFuture<RaftClientReply> changeMembers(List<RaftPeer> current, List<RaftPeer> next) throws IOException {
    SetConfigurationRequest.Arguments arguments = SetConfigurationRequest.Arguments.newBuilder()
      .setServersInCurrentConf(current).setServersInNewConf(next)
      .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build();
    return server.setConfigurationAsync(new SetConfigurationRequest(clientId, self, GROUP, callIds.incrementAndGet(),
      arguments));
  }

  Path dataDir() {
    return dataDir;
  }

  @Override
  public List<BatchRunner.Outcome> commit(List<Writer.Pending> batch, long now, byte[] seed) throws Writer.Fenced {
    ReplicatedBatch replicated = new ReplicatedBatch(now, seed,
      batch.stream().map(pending -> new ReplicatedBatch.Named(pending.name(), pending.body())).toList());
    RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(self)
      .setGroupId(GROUP).setCallId(callIds.incrementAndGet())
      .setMessage(Message.valueOf(ByteString.copyFrom(replicated.encode())))
      .setType(RaftClientRequest.writeRequestType()).build();
    try {
      RaftClientReply reply = server.submitClientRequestAsync(request).get(COMMIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (!reply.isSuccess()) {
        throw new Writer.Fenced("This core node no longer leads: " + reply.getException().getMessage());
      }
      return ReplicatedBatch.outcomes(reply.getMessage());
    } catch (IOException | ExecutionException e) {
      throw new Writer.Fenced("The replicated log refused a batch: " + e.getMessage());
    } catch (TimeoutException e) {
      throw new Writer.Fenced("No majority of the core nodes answered within " + COMMIT_TIMEOUT_MS + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Writer.Fenced("Interrupted while the core nodes replicated a batch");
    }
  }

  /** A batch is durable once committed: a majority of the core nodes synced its entry of the log. */
  @Override
  public void sync() {
  }

  /**
   * Completes once this node's file has applied every batch the leader had committed when it was asked: a read on the
   * file after it sees every write acknowledged before it began. Fails busy when no leader answers.
   */
  CompletableFuture<Void> readBarrier() {
    RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(self)
      .setGroupId(GROUP).setCallId(callIds.incrementAndGet()).setMessage(Message.EMPTY)
      .setType(RaftClientRequest.readRequestType()).build();
    try {
      return server.submitClientRequestAsync(request).thenAccept(reply -> {
        if (!reply.isSuccess()) {
          throw ErrorCode.BUSY.failure("The leading core node did not confirm a read: " + reply.getException().getMessage());
        }
      });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(ErrorCode.BUSY.failure("This core node's log is not running"));
    }
  }

  /** Changes when this node's file takes an identity (from the log, or with a snapshot): readers load it again. */
  long identityChanges() {
    return stateMachine.identityChanges();
  }

  @Override
  public void maintain(Writer.Maintenance work) throws SQLException {
    stateMachine.maintain(work);
  }

  @Override
  public void checkIdle() throws Writer.Fenced {
    if (!leading()) {
      throw new Writer.Fenced("This core node no longer leads");
    }
  }

  /** The writer leaves the file to the state machine, which closes it with the server. */
  @Override
  public void close() {
  }

  public Future<Void> stop(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      server.close();
      return null;
    });
  }
}

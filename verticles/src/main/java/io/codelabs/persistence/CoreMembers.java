package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance admin's view and change of which core nodes replicate the log. Only the leader's
 * writer answers, so a change always reaches the node that can make it. A change is checked in
 * full before the log is asked: every id once, every address host:port, and a majority of the
 * core nodes in force kept, so one step never hands the log to nodes that have not voted in it.
 */
final class CoreMembers {
  /** Less than the API's wait, so the admin hears why rather than a bus timeout. */
  private static final long CHANGE_TIMEOUT_MS = BusClient.MEMBERSHIP_TIMEOUT_MS - 3_000;
  private static final String NOT_CORE = "This instance is not a cluster of core nodes (started without --core-peers):"
    + " it has no replicated log whose members could change";
  private static final Logger LOG = LoggerFactory.getLogger(CoreMembers.class);

  private final Vertx vertx;
  private final CoreReplica replica;
  private final Writer writer;
  private final ReadQueries queries;

  CoreMembers(Vertx vertx, CoreReplica replica, Writer writer, ReadQueries queries) {
    this.vertx = vertx;
    this.replica = replica;
    this.writer = writer;
    this.queries = queries;
  }

  Future<JsonObject> list(JsonObject body) {
    if (replica == null) {
      return Future.failedFuture(ErrorCode.CONFLICT.failure(NOT_CORE));
    }
    return queries.requireAdmin(body, "Only the instance admin may see the core nodes")
      .compose(admin -> vertx.executeBlocking(replica::members, false));
  }

  /** Answers the configuration in force once the log committed the new one. */
  Future<JsonObject> change(JsonObject body) {
    List<RaftPeer> next;
    try {
      next = parse(body.getJsonArray("peers"));
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(ErrorCode.INVALID.failure(e.getMessage()));
    }
    if (replica == null) {
      return Future.failedFuture(ErrorCode.CONFLICT.failure(NOT_CORE));
    }
    return vertx.executeBlocking(replica::currentPeers, false).compose(current -> {
      try {
        check(current, next);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(ErrorCode.INVALID.failure(e.getMessage()));
      }
      if (same(current, next)) {
        return vertx.executeBlocking(replica::members, false);
      }
      JsonArray listed = new JsonArray(next.stream()
        .map(peer -> new JsonObject().put("id", peer.getId().toString()).put("address", peer.getAddress())).toList());
      return writer.submit(Writer.Internal.CORE_MEMBERS_AUDIT, new JsonObject().put("actor", body.getValue("actor"))
          .put("source", body.getValue("source")).put("from", new JsonArray(ids(current))).put("peers", listed))
        .compose(audited -> apply(current, next));
    });
  }

  private Future<JsonObject> apply(List<RaftPeer> current, List<RaftPeer> next) {
    LOG.info("Changing the core nodes from {} to {}", ids(current), ids(next));
    return vertx.executeBlocking(() -> replica.changeMembers(current, next), false)
      .compose(reply -> Future.fromCompletionStage(reply, vertx.getOrCreateContext()))
      .timeout(CHANGE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .recover(failure -> Future.failedFuture(failure instanceof TimeoutException
        ? ErrorCode.BUSY.failure("The core nodes did not complete the change within " + CHANGE_TIMEOUT_MS / 1000
          + " s (a new node not started with --core-join, or unreachable at its address?); it may still complete:"
          + " GET /api/cluster/core shows the configuration in force")
        : ErrorCode.BUSY.failure("The replicated log refused the change: " + failure.getMessage())))
      .compose(reply -> {
        if (!reply.isSuccess()) {
          return Future.failedFuture(refused(reply));
        }
        LOG.info("The core nodes are now {}", ids(next));
        return vertx.executeBlocking(replica::members, false);
      });
  }

  private static Throwable refused(RaftClientReply reply) {
    Exception cause = reply.getException();
    if (cause instanceof ReconfigurationInProgressException || cause instanceof SetConfigurationException) {
      return ErrorCode.CONFLICT.failure("Another change of the core nodes is under way or just happened;"
        + " read GET /api/cluster/core and send the list again (" + cause.getMessage() + ")");
    }
    return ErrorCode.BUSY.failure("The replicated log did not take the change: "
      + (cause == null ? "no reason given" : cause.getMessage()));
  }

  /** The whole new list: ids and addresses as on the command line, none twice. */
  static List<RaftPeer> parse(JsonArray peers) {
    if (peers == null || peers.isEmpty()) {
      throw new IllegalArgumentException("peers must list at least one core node: the log cannot run on none");
    }
    List<RaftPeer> parsed = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      JsonObject peer = peers.getJsonObject(i);
      if (peer == null || peer.getString("id") == null || peer.getString("address") == null) {
        throw new IllegalArgumentException("peers[" + i + "] needs an id and an address");
      }
      parsed.add(CoreReplica.peer(peer.getString("id"), peer.getString("address")));
    }
    CoreReplica.distinct(parsed);
    return parsed;
  }

  /** A core node keeps its address, and a majority of those in force stays. */
  static void check(List<RaftPeer> current, List<RaftPeer> next) {
    for (RaftPeer peer : next) {
      current.stream().filter(old -> old.getId().equals(peer.getId()) && !old.getAddress().equals(peer.getAddress()))
        .findFirst().ifPresent(old -> {
          throw new IllegalArgumentException("core node " + old.getId() + " is at " + old.getAddress()
            + "; to move it, remove it and add it again under a new id");
        });
    }
    Set<String> kept = Set.copyOf(ids(next));
    long staying = current.stream().filter(peer -> kept.contains(peer.getId().toString())).count();
    if (staying * 2 <= current.size()) {
      throw new IllegalArgumentException("the new list keeps " + staying + " of the " + current.size()
        + " core nodes in force " + ids(current) + "; keep a majority of them and change the rest in further steps");
    }
  }

  private static boolean same(List<RaftPeer> current, List<RaftPeer> next) {
    return current.size() == next.size() && next.stream().allMatch(peer -> current.stream()
      .anyMatch(old -> old.getId().equals(peer.getId()) && old.getAddress().equals(peer.getAddress())));
  }

  private static List<String> ids(List<RaftPeer> peers) {
    return peers.stream().map(peer -> peer.getId().toString()).toList();
  }

  /** The writer command that checks the admin and audits the change before the log is asked. */
  static JsonObject audit(Tx tx, JsonObject body) throws SQLException {
    Actor actor = AccountCommands.requireAdmin(tx, body);
    tx.audit(actor, "cluster.core.change", null, new JsonObject().put("from", body.getJsonArray("from"))
      .put("peers", body.getJsonArray("peers")), body.getString("source"));
    return new JsonObject();
  }
}

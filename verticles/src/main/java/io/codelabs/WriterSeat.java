package io.codelabs;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.persistence.CoreReplica;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.tokens.Passwords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The persistence role of a node: how it comes to run the writer. Either a cluster-wide lock among
 * nodes that share one SQLite file ({@link LockSeat}), or leadership of the log the core nodes
 * replicate, each to its own file ({@link CoreSeat}).
 */
public interface WriterSeat {
  /** This node became the writer with this term; the first facilitator's password if it created one. */
  record Takeover(long term, String createdPassword) {
  }

  static WriterSeat of(Vertx vertx, JsonObject config) {
    return config.getString(CoreReplica.PEERS, "").isEmpty() ? new LockSeat(vertx, config) : new CoreSeat(vertx, config);
  }

  /** Completes once the first attempt is decided: with the takeover if this node became the writer, else null. */
  Future<Takeover> start();

  /** Completes when this node becomes the writer, at start or later by taking over. */
  Future<Takeover> elected();

  /**
   * Completes when a later writer fenced this one out of a shared file: it stopped writing, and its
   * process must restart to stand by again. A core node is never fenced out: it follows the new leader.
   */
  Future<Void> fenced();

  /** Lets the writer finish what it queued, then leaves the seat. */
  Future<Void> close();

  /** Only the writer bootstraps, so two nodes starting together cannot both print a first password. */
  static Future<String> firstFacilitator(Vertx vertx, JsonObject config, PersistenceVerticle persistence) {
    if (persistence.hasFacilitator()) {
      return Future.succeededFuture(null);
    }
    String password = Passwords.generate();
    return vertx.executeBlocking(() -> Passwords.hash(password), false)
      .compose(hash -> new BusClient(vertx, config.getLong(BusClient.TIMEOUT_KEY)).request(Address.FACILITATOR_BOOTSTRAP,
        new JsonObject().put("username", Node.FIRST_FACILITATOR).put("displayName", "Administrator")
          .put("passwordHash", hash)))
      .map(reply -> reply.getBoolean("created") ? password : null);
  }
}

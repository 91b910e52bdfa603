package io.codelabs.persistence;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.SharedConfig;
import io.codelabs.credentials.InstanceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A follower's answers to the writer's reads, from the node's own file, so that reads spread over the core nodes
 * instead of all reaching the leader. Each read first waits until the file has applied every batch the leader had
 * committed when the read came (Raft's ReadIndex, {@link CoreReplica#readBarrier}): a read that follows an acknowledged
 * write sees it, whichever core node answers. A file that has not yet taken the cluster's identity (a new cluster's
 * first moments) answers busy, and the sender retries.
 */
final class FollowerReads {
  private record Queries(long identityChanges, Map<String, Function<JsonObject, Future<JsonObject>>> byAddress) {
  }

  private final Vertx vertx;
  private final JsonObject config;
  private final CoreReplica replica;
  private final Set<String> addresses;
  private final Pool pool;
  private Queries queries = new Queries(-1, Map.of());

  FollowerReads(Vertx vertx, JsonObject config, CoreReplica replica) {
    this.vertx = vertx;
    this.config = config;
    this.replica = replica;
    this.addresses = PersistenceVerticle.reads(vertx, config, null, null, null, null).keySet().stream()
      .map(address -> address.address).collect(Collectors.toUnmodifiableSet());
    this.pool = JDBCPool.pool(vertx, Database.readerDataSource(Path.of(config.getString(SharedConfig.DATA_DIR))),
      new PoolOptions().setMaxSize(config.getInteger(PersistenceVerticle.READ_POOL_SIZE)));
  }

  boolean serves(String address) {
    return addresses.contains(address);
  }

  Future<JsonObject> answer(String address, JsonObject body) {
    return Future.fromCompletionStage(replica.readBarrier(), vertx.getOrCreateContext())
      .timeout(CoreReplica.READ_BARRIER_MS, TimeUnit.MILLISECONDS)
      .transform(barrier -> barrier.succeeded() ? queries() : Future.failedFuture(busy(barrier.cause())))
      .compose(current -> current.byAddress.get(address).apply(body));
  }

  private static BusFailure busy(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof BusFailure busFailure ? busFailure
      : ErrorCode.BUSY.failure("The leading core node did not confirm a read in time");
  }

  /** The queries with the identity the file holds now; loaded again once it took another. */
  private Future<Queries> queries() {
    long changes = replica.identityChanges();
    if (changes == queries.identityChanges) {
      return Future.succeededFuture(queries);
    }
    return pool.query(Identity.CURRENT).execute().map(rows -> {
      JsonObject identity = rows.iterator().next().toJson();
      if (identity.getInteger("adopted") != 1) {
        throw ErrorCode.BUSY.failure("This core node's file has not yet taken the cluster's identity");
      }
      Map<String, Function<JsonObject, Future<JsonObject>>> byAddress = new HashMap<>();
      PersistenceVerticle.reads(vertx, config, pool, identity.getString("epoch"), identity.getString("jwt_secret"),
        InstanceKey.parse(identity.getString("privateJwk"))).forEach((address, query) -> byAddress.put(address.address, query));
      queries = new Queries(changes, byAddress);
      return queries;
    });
  }

  Future<Void> close() {
    return pool.close();
  }
}

package io.codelabs;

import io.codelabs.persistence.CoreReplica;
import io.codelabs.persistence.CoreRouter;
import io.codelabs.persistence.PersistenceVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistence role of a core node in a replicated cluster. Its {@link CoreReplica} keeps the
 * node's own file in step with the log, and while the node leads the log it runs the persistence
 * verticle. When it stops leading, the verticle is undeployed: commands that were waiting are
 * answered busy, their senders retry with their idempotency keys, and the node follows the new leader.
 */
final class CoreSeat implements WriterSeat {
  private static final long RETRY_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(CoreSeat.class);

  private final Vertx vertx;
  private final JsonObject config;
  private final Context context;
  private final Promise<Takeover> elected = Promise.promise();
  private final Promise<Void> fenced = Promise.promise();
  private CoreReplica replica;
  private CoreRouter router;
  private String deployment;
  /** A deployment or undeployment is under way; the seat looks at the leadership again when it ends. */
  private boolean changing;
  private boolean closed;

  CoreSeat(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
    this.context = vertx.getOrCreateContext();
  }

  /** A core node does not wait for an election: the others may not have started yet. */
  @Override
  public Future<Takeover> start() {
    return CoreReplica.start(vertx, config, leading -> context.runOnContext(v -> follow()))
      .compose(started -> CoreRouter.start(vertx, config, started).map(routing -> {
        router = routing;
        return started;
      }))
      .map(started -> {
        replica = started;
        if (config.getBoolean(CoreReplica.JOIN, false) && started.term() == 0) {
          LOG.info("Core node {} waits for the admin to add it to the core nodes", config.getString(CoreReplica.ID));
        } else {
          LOG.info("Core node {} joined the replicated log (term {})", config.getString(CoreReplica.ID), started.term());
        }
        return null;
      });
  }

  @Override
  public Future<Takeover> elected() {
    return elected.future();
  }

  @Override
  public Future<Void> fenced() {
    return fenced.future();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    Future<Void> unrouted = router == null ? Future.succeededFuture() : router.stop();
    Future<Void> undeployed = unrouted.transform(v -> deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment));
    return undeployed.transform(v -> replica == null ? Future.succeededFuture() : replica.stop(vertx));
  }

  /** On the seat's context: brings the verticle in line with the leadership, one change at a time. */
  private void follow() {
    if (closed || changing || replica == null) {
      return;
    }
    boolean leading = replica.leading();
    if (leading && deployment == null) {
      changing = true;
      lead().onComplete(done -> {
        changing = false;
        if (done.failed()) {
          LOG.warn("Could not start writing as the leader: {}", done.cause().getMessage());
          vertx.setTimer(RETRY_MS, id -> follow());
        } else {
          follow();
        }
      });
    } else if (!leading && deployment != null) {
      changing = true;
      LOG.info("This core node no longer leads the log; it stops writing and follows");
      vertx.undeploy(deployment).onComplete(done -> {
        deployment = null;
        changing = false;
        follow();
      });
    }
  }

  private Future<Void> lead() {
    PersistenceVerticle persistence = new PersistenceVerticle(replica);
    return vertx.deployVerticle(persistence, new DeploymentOptions().setConfig(config))
      .compose(id -> {
        deployment = id;
        persistence.fenced().onSuccess(v -> context.runOnContext(again -> stepDown(id)));
        return WriterSeat.firstFacilitator(vertx, config, persistence).transform(created -> created.succeeded()
          ? Future.succeededFuture(created.result())
          : vertx.undeploy(id).transform(v -> {
            deployment = null;
            return Future.<String>failedFuture(created.cause());
          }));
      })
      .map(password -> {
        LOG.info("This core node leads the log (term {}) and writes", persistence.term());
        elected.tryComplete(new Takeover(persistence.term(), password));
        return null;
      });
  }

  /** The writer found it could not commit: without a majority it must not answer, and leading again is decided anew. */
  private void stepDown(String id) {
    if (!id.equals(deployment) || changing) {
      return;
    }
    changing = true;
    vertx.undeploy(id).onComplete(done -> {
      deployment = null;
      changing = false;
      vertx.setTimer(RETRY_MS, timer -> follow());
    });
  }
}

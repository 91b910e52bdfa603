package io.codelabs;

import io.codelabs.persistence.PersistenceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistence role of a node. Core nodes compete for one cluster-wide lock and only its holder
 * deploys the persistence verticle, which takes the next writer term in the database before it
 * registers a consumer. The others stand by and take over when the holder's member leaves the
 * cluster. The lock cannot stop a holder that was frozen past failure detection and then resumed;
 * the term in the database does. A writer fenced that way never writes again: its process exits
 * (code 3) so that a supervisor restarts it, and it comes back as a standby.
 */
final class LockSeat implements WriterSeat {
  static final String LOCK = "codelabs.writer";
  /** A free lock is granted at once; this only bounds how long a standby's start-up waits. */
  private static final long FIRST_ATTEMPT_MS = 500;
  private static final long WAIT_MS = 10_000;
  private static final long RETRY_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(LockSeat.class);

  private final Vertx vertx;
  private final JsonObject config;
  private final Promise<Takeover> elected = Promise.promise();
  private final Promise<Void> fenced = Promise.promise();
  private volatile boolean closed;

  LockSeat(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
  }

  @Override
  public Future<Takeover> start() {
    return vertx.sharedData().getLockWithTimeout(LOCK, FIRST_ATTEMPT_MS)
      .transform(attempt -> attempt.succeeded() ? takeOver(attempt.result(), false) : standBy());
  }

  @Override
  public Future<Takeover> elected() {
    return elected.future();
  }

  @Override
  public Future<Void> fenced() {
    return fenced.future();
  }

  /** The writer drains when the node's verticles are undeployed. */
  @Override
  public Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }

  /** Checks now that the database can be reached from here: a standby that cannot would be of no use. */
  private Future<Takeover> standBy() {
    return PersistenceVerticle.currentTerm(vertx, config).transform(term -> {
      if (term.succeeded()) {
        LOG.info("Another node is the writer (term {}); this node stands by", term.result());
      } else {
        LOG.error("This node stands by but cannot take over: {}", term.cause().getMessage());
      }
      waitForSeat();
      return Future.succeededFuture(null);
    });
  }

  /** One attempt after another, each waiting on the lock, until this node holds it or stops. */
  private void waitForSeat() {
    if (closed) {
      return;
    }
    vertx.sharedData().getLockWithTimeout(LOCK, WAIT_MS).onComplete(
      lock -> takeOver(lock, true).onFailure(failure -> vertx.setTimer(RETRY_MS, id -> waitForSeat())),
      notYet -> waitForSeat());
  }

  private Future<Takeover> takeOver(Lock lock, boolean fromStandby) {
    if (closed) {
      lock.release();
      return Future.failedFuture("The node is stopping");
    }
    PersistenceVerticle persistence = new PersistenceVerticle();
    JsonObject persistenceConfig = config.copy().put(PersistenceVerticle.TAKEOVER, fromStandby);
    return vertx.deployVerticle(persistence, new DeploymentOptions().setConfig(persistenceConfig))
      .compose(id -> WriterSeat.firstFacilitator(vertx, config, persistence)
        .onFailure(failure -> vertx.undeploy(id))
        .map(password -> {
          persistence.fenced().onSuccess(v -> stepDown(id));
          Takeover takeover = new Takeover(persistence.term(), password);
          elected.complete(takeover);
          return takeover;
        }))
      .onFailure(failure -> {
        LOG.error("Could not take the writer seat", failure);
        lock.release();
      });
  }

  /** The lock is not released: it may already belong to the new writer, and the process exits anyway. */
  private void stepDown(String deploymentId) {
    vertx.undeploy(deploymentId).onComplete(done -> fenced.complete());
  }
}

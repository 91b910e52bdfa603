package io.codelabs;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.tokens.Passwords;
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
public final class WriterSeat {
  static final String LOCK = "codelabs.writer";
  /** A free lock is granted at once; this only bounds how long a standby's start-up waits. */
  private static final long FIRST_ATTEMPT_MS = 500;
  private static final long WAIT_MS = 10_000;
  private static final long RETRY_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(WriterSeat.class);

  /** This node became the writer with this term; the first facilitator's password if it created one. */
  public record Takeover(long term, String createdPassword) {
  }

  private final Vertx vertx;
  private final JsonObject config;
  private final Promise<Takeover> elected = Promise.promise();
  private final Promise<Void> fenced = Promise.promise();
  private volatile boolean closed;

  WriterSeat(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Completes once the first attempt is decided: with the takeover if this node became the writer, else null. */
  Future<Takeover> start() {
    return vertx.sharedData().getLockWithTimeout(LOCK, FIRST_ATTEMPT_MS)
      .transform(attempt -> attempt.succeeded() ? takeOver(attempt.result(), false) : standBy());
  }

  /** Completes when this node becomes the writer, at start or later by taking over. */
  public Future<Takeover> elected() {
    return elected.future();
  }

  /** Completes when a later writer fenced this one out; it has stopped writing and unregistered. */
  public Future<Void> fenced() {
    return fenced.future();
  }

  void close() {
    closed = true;
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
      .compose(id -> firstFacilitator(persistence)
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

  /** Only the writer bootstraps, so two nodes starting together cannot both print a first password. */
  private Future<String> firstFacilitator(PersistenceVerticle persistence) {
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

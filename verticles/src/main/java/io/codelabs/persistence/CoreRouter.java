package io.codelabs.persistence;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A core node's entry to the writer, registered in the cluster once, when the node starts. A command or query goes to
 * this node's writer while the node leads the log; else a query is answered from this node's own file
 * ({@link FollowerReads}) and a command goes to the leader's router. With no leader known it is answered busy at once,
 * and its sender retries with its idempotency key. An election therefore registers nothing in the cluster's registry,
 * whose entries a frozen member holds until the cluster declares it dead (10 s): a new leader takes writes as soon as
 * its writer has started. A node outside the configuration in force (one waiting to be added, or removed) registers
 * nothing: it knows no leader to hand requests to.
 */
public final class CoreRouter {
  private record Forward(String leader, Promise<JsonObject> answer) {
  }

  static final String ADDRESS_HEADER = "address";
  private static final Logger LOG = LoggerFactory.getLogger(CoreRouter.class);
  /** The longest any sender of a persistence request waits: a change of the core nodes. */
  private static final long FORWARD_TIMEOUT_MS = BusClient.MEMBERSHIP_TIMEOUT_MS;
  /**
   * How often the router looks whether this node is in the configuration in force, and pings the other core nodes so
   * that a connection to each is open before it must forward to it.
   */
  private static final long CHECK_INTERVAL_MS = 1_000;
  /** How often forwards in flight are checked against the leader this node knows: a look at Ratis' memory. */
  private static final long LEADER_CHECK_INTERVAL_MS = 100;

  private final Vertx vertx;
  private final CoreReplica replica;
  /** Each address the writer answers, with where this node's writer takes it while the node leads. */
  private final Map<String, String> onLeader;
  private final FollowerReads reads;
  private final int maxInFlight;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final Set<Forward> forwards = new HashSet<>();
  private int inFlight;
  private long checkTimer = -1;
  private long leaderTimer = -1;
  /** Registering or unregistering is under way; the next check looks again. */
  private boolean changing;

  private CoreRouter(Vertx vertx, CoreReplica replica, Map<String, String> onLeader, FollowerReads reads,
                     int maxInFlight) {
    this.vertx = vertx;
    this.replica = replica;
    this.onLeader = onLeader;
    this.reads = reads;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Registers every address the writer answers, and this node's forward address, once this node is in the
   * configuration in force (at once on a listed node); call it on the context the router is to run on.
   */
  public static Future<CoreRouter> start(Vertx vertx, JsonObject config, CoreReplica replica) {
    CoreRouter router = new CoreRouter(vertx, replica, PersistenceVerticle.served(vertx, config).stream()
      .collect(Collectors.toUnmodifiableMap(address -> address.address, Address::onLeader)),
      new FollowerReads(vertx, config, replica), config.getInteger(PersistenceVerticle.QUEUE_SIZE));
    Future<Void> registered = router.member() ? router.register() : Future.succeededFuture();
    return registered.map(v -> {
      router.checkTimer = vertx.setPeriodic(CHECK_INTERVAL_MS, timer -> router.check());
      router.leaderTimer = vertx.setPeriodic(LEADER_CHECK_INTERVAL_MS, timer -> router.abandonForwardsToFormerLeader());
      return router;
    });
  }

  public Future<Void> stop() {
    vertx.cancelTimer(checkTimer);
    vertx.cancelTimer(leaderTimer);
    return unregister().eventually(reads::close);
  }

  private boolean member() {
    String self = replica.selfId();
    return replica.currentPeers().stream().anyMatch(peer -> peer.getId().toString().equals(self));
  }

  private void check() {
    boolean member = member();
    if (!changing && member == consumers.isEmpty()) {
      changing = true;
      // A registration that failed in part is undone, so that the next check registers everything again.
      (member ? register().recover(failure -> unregister()) : unregister()).onComplete(done -> changing = false);
    }
    if (member) {
      pingPeers();
    }
  }

  private Future<Void> register() {
    List<Future<Void>> registered = new ArrayList<>();
    for (String address : onLeader.keySet()) {
      registered.add(register(address, this::route));
    }
    registered.add(register(Address.CORE_FORWARD.of(replica.selfId()), this::forwarded));
    return Future.all(registered).mapEmpty();
  }

  private Future<Void> register(String address, Handler<Message<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, handler);
    consumers.add(consumer);
    return consumer.completion();
  }

  private Future<Void> unregister() {
    List<MessageConsumer<JsonObject>> registered = List.copyOf(consumers);
    consumers.clear();
    return Future.all(registered.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void route(Message<JsonObject> message) {
    if (replica.leading()) {
      toOwnWriter(message, message.address());
      return;
    }
    String leader = replica.leaderId();
    if (leader == null || leader.equals(replica.selfId())) {
      message.fail(ErrorCode.BUSY.code, "The core nodes are electing a leader");
    } else if (reads.serves(message.address())) {
      bounded(message, () -> reads.answer(message.address(), message.body()));
    } else {
      toLeader(message, leader);
    }
  }

  /** From another core node's router: only the leader's writer answers, so a forward is never forwarded again. */
  private void forwarded(Message<JsonObject> message) {
    String address = message.headers().get(ADDRESS_HEADER);
    if (address == null) {
      message.reply(new JsonObject());
    } else if (!onLeader.containsKey(address)) {
      message.fail(ErrorCode.INVALID.code, "Not an address the writer answers");
    } else if (!replica.leading()) {
      message.fail(ErrorCode.BUSY.code, "This core node no longer leads the log");
    } else {
      toOwnWriter(message, address);
    }
  }

  private void toOwnWriter(Message<JsonObject> message, String address) {
    bounded(message, () -> request(onLeader.get(address), message.body(),
      new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS).setLocalOnly(true)));
  }

  /**
   * With the address the sender used, which the leader's router checks. Answered 504 (outcome unknown) as soon as this
   * node takes another node for the leader, or none: a frozen leader would hold it until the sender's timeout, while
   * the sender can already resend it, with its idempotency key, towards the next one.
   */
  private void toLeader(Message<JsonObject> message, String leader) {
    bounded(message, () -> {
      Promise<JsonObject> answer = Promise.promise();
      Forward forward = new Forward(leader, answer);
      forwards.add(forward);
      request(Address.CORE_FORWARD.of(leader), message.body(),
        new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS).addHeader(ADDRESS_HEADER, message.address()))
        .onComplete(answer::tryComplete, answer::tryFail);
      return answer.future().onComplete(done -> forwards.remove(forward));
    });
  }

  private void abandonForwardsToFormerLeader() {
    if (forwards.isEmpty()) {
      return;
    }
    String leader = replica.leaderId();
    for (Forward forward : List.copyOf(forwards)) {
      if (!forward.leader.equals(leader)) {
        forward.answer.tryFail(ErrorCode.TIMEOUT.failure("The leading core node changed before it answered: the outcome"
          + " is unknown; resend with the same key"));
      }
    }
  }

  private Future<JsonObject> request(String address, JsonObject body, DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(Message::body);
  }

  /** What this node holds for others is bounded; beyond, it answers busy. */
  private void bounded(Message<JsonObject> message, Supplier<Future<JsonObject>> work) {
    if (inFlight >= maxInFlight) {
      message.fail(ErrorCode.BUSY.code, "Too many requests in flight on this core node");
      return;
    }
    inFlight++;
    work.get().onComplete(answer -> {
      inFlight--;
      if (answer.succeeded()) {
        message.reply(answer.result());
      } else {
        fail(message, answer.cause());
      }
    });
  }

  /** The code the bus's own mapping gives; the message the writer's, or one that names the leader rather than an address. */
  private static void fail(Message<JsonObject> message, Throwable failure) {
    ErrorCode code = ErrorCode.of(failure);
    String reason;
    if (failure instanceof BusFailure
      || failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      reason = failure.getMessage();
    } else if (code == ErrorCode.TIMEOUT) {
      reason = "The leading core node did not answer in time";
    } else if (failure instanceof ReplyException) {
      reason = "The leading core node's writer is not running yet";
    } else {
      LOG.error("Unexpected failure on {}", message.address(), failure);
      reason = "Internal error";
    }
    message.fail(code.code, reason);
  }

  private void pingPeers() {
    String self = replica.selfId();
    for (var peer : replica.currentPeers()) {
      String id = peer.getId().toString();
      if (!id.equals(self)) {
        vertx.eventBus().request(Address.CORE_FORWARD.of(id), new JsonObject(),
          new DeliveryOptions().setSendTimeout(CHECK_INTERVAL_MS));
      }
    }
  }
}

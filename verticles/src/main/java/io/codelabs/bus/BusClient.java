package io.codelabs.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Bus requests with the node's explicit timeout, so no cross-verticle call can hang. */
public final class BusClient {
  public static final String TIMEOUT_KEY = "bus.timeoutMs";
  public static final long DEFAULT_TIMEOUT_MS = 5_000;
  /** Config key of the node's id, set at start: the writer records it in the lease and its status. */
  public static final String NODE_ID_KEY = "node.id";
  /** A change of the core nodes waits for new ones to catch up: longer than other requests, within the API's 20 s. */
  public static final long MEMBERSHIP_TIMEOUT_MS = 18_000;

  private final EventBus bus;
  private final DeliveryOptions options;
  private final RequestTimer timer;

  public BusClient(Vertx vertx, long timeoutMs) {
    this.bus = vertx.eventBus();
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.timer = (RequestTimer) vertx.sharedData().getLocalMap(RequestTimer.MAP).get(RequestTimer.KEY);
  }

  public Future<JsonObject> request(Address address, JsonObject body) {
    return timed(address, bus.<JsonObject>request(address.address, body, options)).map(Message::body);
  }

  public Future<JsonObject> request(Address address, Actor actor, JsonObject body) {
    return request(address, body.put("actor", actor == null ? null : actor.toJson()));
  }

  /** With a timeout of its own, for the few requests whose work takes longer than the node's timeout. */
  public Future<JsonObject> request(Address address, Actor actor, JsonObject body, long timeoutMs) {
    JsonObject stamped = body.put("actor", actor == null ? null : actor.toJson());
    return timed(address, bus.<JsonObject>request(address.address, stamped,
      new DeliveryOptions().setSendTimeout(timeoutMs))).map(Message::body);
  }

  /** To a consumer on this node only, for work on files this node holds; such work may take longer. */
  public Future<JsonObject> requestLocal(Address address, Actor actor, JsonObject body, long timeoutMs) {
    JsonObject stamped = body.put("actor", actor == null ? null : actor.toJson());
    return timed(address, bus.<JsonObject>request(address.address, stamped,
      new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true))).map(Message::body);
  }

  private <T> Future<T> timed(Address address, Future<T> request) {
    if (timer == null) {
      return request;
    }
    long startedNanos = System.nanoTime();
    return request.andThen(answer -> timer.answered(address, System.nanoTime() - startedNanos, answer.succeeded()));
  }
}

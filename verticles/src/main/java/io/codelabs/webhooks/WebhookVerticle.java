package io.codelabs.webhooks;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.outbound.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployed on every node; the one holding the cluster-wide webhooks lock delivers. Positions live
 * in the database, committed through the writer, so a node that takes the lock over after the
 * holder died resumes after the last committed position of every endpoint: what the lost holder
 * sent after that position comes again, in order and with the same ids; nothing is lost.
 */
public final class WebhookVerticle extends VerticleBase {
  static final String LOCK = "codelabs.webhooks";
  private static final long WAIT_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);

  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private BusClient bus;
  private Sender sender;
  private Endpoint.Retries retries;
  private Lock seat;
  private long pollTimer = -1;
  private boolean closed;
  private boolean refreshing;

  @Override
  public Future<?> start() {
    JsonObject config = config();
    bus = new BusClient(vertx, config.getLong(BusClient.TIMEOUT_KEY));
    sender = new Sender(vertx, new Sender.Limits(config.getBoolean(WebhookConfig.ALLOW_HTTP),
      config.getBoolean(WebhookConfig.ALLOW_PRIVATE_TARGETS), config.getLong(WebhookConfig.TIMEOUT_MS),
      config.getInteger(WebhookConfig.MAX_BODY_BYTES), config.getInteger(WebhookConfig.MAX_RESPONSE_BYTES)));
    retries = new Endpoint.Retries(config.getLong(WebhookConfig.RETRY_BASE_MS), config.getLong(WebhookConfig.RETRY_MAX_MS),
      config.getLong(WebhookConfig.RETRY_WINDOW_MS));
    waitForSeat();
    return Future.succeededFuture();
  }

  /** Whether this node delivers now. */
  public boolean delivering() {
    return seat != null;
  }

  private void waitForSeat() {
    if (closed) {
      return;
    }
    vertx.sharedData().getLockWithTimeout(LOCK, WAIT_MS).onComplete(lock -> {
      if (closed) {
        lock.release();
        return;
      }
      seat = lock;
      LOG.info("This node delivers webhooks");
      deliver();
    }, notYet -> waitForSeat());
  }

  private void deliver() {
    MessageConsumer<JsonObject> appended = vertx.eventBus().consumer(Address.EVENTS_APPENDED.address,
      message -> message.body().getJsonObject("codelabs").fieldNames().forEach(this::nudge));
    MessageConsumer<JsonObject> redeliver = vertx.eventBus().consumer(Address.WEBHOOK_REDELIVER.address, this::redeliver);
    consumers.add(appended);
    consumers.add(redeliver);
    pollTimer = vertx.setPeriodic(0, config().getLong(WebhookConfig.POLL_MS), id -> poll());
  }

  private void nudge(String codelabId) {
    endpoints.values().stream().filter(endpoint -> endpoint.covers(codelabId)).forEach(Endpoint::pump);
  }

  /** Picks up new, changed and removed endpoints, then lets each look for work a nudge may have missed. */
  private void poll() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    bus.request(Address.WEBHOOK_TARGETS, new JsonObject()).onComplete(reply -> {
      refreshing = false;
      Set<String> current = new HashSet<>();
      reply.getJsonArray("webhooks").forEach(item -> {
        JsonObject target = (JsonObject) item;
        current.add(target.getString("id"));
        Endpoint endpoint = endpoints.get(target.getString("id"));
        if (endpoint == null || endpoint.stopped()) {
          endpoints.put(target.getString("id"), new Endpoint(vertx, bus, sender, retries, target));
        } else {
          endpoint.update(target);
        }
      });
      endpoints.entrySet().removeIf(entry -> {
        boolean gone = !current.contains(entry.getKey());
        if (gone) {
          entry.getValue().stop();
        }
        return gone;
      });
      endpoints.values().forEach(Endpoint::pump);
    }, failure -> {
      refreshing = false;
      LOG.debug("Webhook endpoints not read: {}", failure.getMessage());
    });
  }

  private void redeliver(Message<JsonObject> message) {
    JsonObject body = message.body();
    bus.request(Address.WEBHOOK_DELIVERY_GET, body.copy()).compose(logged -> {
      JsonObject event = new JsonObject().put("codelabId", logged.getString("codelabId")).put("seq", logged.getLong("seq"))
        .put("type", logged.getString("type"));
      return sender.send(logged.getString("url"), Endpoint.secrets(logged), logged.getString("messageId"),
          logged.getString("body"))
        .compose(outcome -> bus.request(Address.WEBHOOK_RECORD, new JsonObject()
            .put("webhookId", body.getString("webhookId")).put("records", new JsonArray().add(new JsonObject()
              .put("codelabId", logged.getString("codelabId"))
              .put("delivery", Endpoint.delivery(event, logged.getString("messageId"), logged.getString("body"), 1,
                outcome, true)))))
          .map(recorded -> new JsonObject().put("delivered", outcome.delivered())
            .put("responseCode", outcome.responseCode()).put("latencyMs", outcome.latencyMs())
            .put("error", outcome.error())));
    }).onComplete(message::reply, failure -> message.fail(ErrorCode.of(failure).code, failure.getMessage()));
  }

  @Override
  public Future<?> stop() {
    closed = true;
    vertx.cancelTimer(pollTimer);
    endpoints.values().forEach(Endpoint::stop);
    consumers.forEach(MessageConsumer::unregister);
    if (seat != null) {
      seat.release();
    }
    return sender.close();
  }
}

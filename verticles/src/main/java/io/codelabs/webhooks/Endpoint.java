package io.codelabs.webhooks;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one endpoint's events, one request in flight, in seq order per codelab: an event is
 * retried until it is acknowledged (2xx) or the retry window ends, and only then does the next one
 * go. Attempts and positions go to the writer in order, one command at a time: what piles up while one
 * command is written goes as the next one, so a burst costs a few writer commands, not one per event.
 */
final class Endpoint {
  static final int BATCH = 100;
  /** One record command stays a modest bus message even when it crosses the cluster with many event bodies. */
  private static final int MAX_RECORDS_PER_WRITE = 200;
  private static final int MAX_BODY_CHARS_PER_WRITE = 1 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

  /** Retry schedule: about base, 2 base, 4 base... up to max, each with jitter; retried for the window. */
  record Retries(long baseMs, long maxMs, long windowMs) {
    long delay(int attempt) {
      long ceiling = Math.min(maxMs, baseMs << Math.min(attempt - 1, 30));
      return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
  }

  private final Vertx vertx;
  private final BusClient bus;
  private final Sender sender;
  private final Retries retries;
  private volatile JsonObject target;
  private boolean running;
  private boolean dirty;
  private boolean stopped;
  private long retryTimer = -1;
  private final Deque<Unwritten> unwritten = new ArrayDeque<>();
  private boolean writing;

  private record Unwritten(JsonObject record, Promise<Void> written) {
  }

  Endpoint(Vertx vertx, BusClient bus, Sender sender, Retries retries, JsonObject target) {
    this.vertx = vertx;
    this.bus = bus;
    this.sender = sender;
    this.retries = retries;
    this.target = target;
  }

  String id() {
    return target.getString("id");
  }

  /** Newer URL, types or secrets apply from the next attempt. */
  void update(JsonObject target) {
    this.target = target;
  }

  boolean covers(String codelabId) {
    String scope = target.getString("codelabId");
    return scope == null || scope.equals(codelabId);
  }

  boolean stopped() {
    return stopped;
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
  }

  /** Reads what is pending and delivers it; a call while that runs makes it read again once done. */
  void pump() {
    if (stopped) {
      return;
    }
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    dirty = false;
    bus.request(Address.WEBHOOK_PENDING, new JsonObject().put("webhookId", id()).put("limit", BATCH))
      .compose(reply -> deliverAll(reply.getJsonArray("events")))
      .onComplete(more -> {
        running = false;
        if (more.failed()) {
          LOG.debug("Webhook {} paused until the next poll: {}", id(), more.cause().getMessage());
        } else if (more.result() || dirty) {
          pump();
        }
      });
  }

  /**
   * Answers whether the batch was full, so more may wait. An acknowledged event's position is
   * committed while the next one is sent: were this node lost before the commit, the next holder
   * would only send that event again. The batch ends once every commit of it is done, so the next
   * read starts after it.
   */
  private Future<Boolean> deliverAll(JsonArray events) {
    Future<Void> chain = Future.succeededFuture();
    List<Future<Void>> recorded = new ArrayList<>();
    Map<String, Long> skippedUpTo = new LinkedHashMap<>();
    for (Object item : events) {
      JsonObject event = (JsonObject) item;
      String codelabId = event.getString("codelabId");
      if (wanted(event)) {
        chain = chain.compose(v -> deliver(event, 1, System.currentTimeMillis(), recorded));
        skippedUpTo.remove(codelabId);
      } else {
        skippedUpTo.put(codelabId, event.getLong("seq"));
      }
    }
    return chain.compose(v -> {
      skippedUpTo.forEach((codelabId, seq) -> recorded.add(write(new JsonObject().put("codelabId", codelabId)
        .put("position", seq))));
      return Future.all(recorded);
    }).map(v -> events.size() == BATCH);
  }

  private boolean wanted(JsonObject event) {
    JsonArray types = target.getJsonArray("eventTypes");
    return types.isEmpty() || types.contains(event.getString("type"));
  }

  private Future<Void> deliver(JsonObject event, int attempt, long firstAt, List<Future<Void>> recorded) {
    if (stopped) {
      return Future.failedFuture("The endpoint stopped");
    }
    String messageId = messageId(id(), event);
    String body = body(event);
    return sender.send(target.getString("url"), secrets(target), messageId, body).compose(outcome -> {
      recorded.add(record(event, messageId, body, attempt, outcome));
      if (outcome.delivered()) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() - firstAt >= retries.windowMs()) {
        return giveUp(event, outcome);
      }
      Promise<Void> retried = Promise.promise();
      retryTimer = vertx.setTimer(retries.delay(attempt),
        id -> deliver(event, attempt + 1, firstAt, recorded).onComplete(retried));
      return retried.future();
    });
  }

  private Future<Void> record(JsonObject event, String messageId, String body, int attempt, Sender.Outcome outcome) {
    JsonObject record = new JsonObject().put("codelabId", event.getString("codelabId"))
      .put("delivery", delivery(event, messageId, body, attempt, outcome, false));
    if (outcome.delivered()) {
      record.put("position", event.getLong("seq"));
    }
    return write(record);
  }

  /** Done once the record is committed: with the ones before it, in the order they were written. */
  private Future<Void> write(JsonObject record) {
    Promise<Void> written = Promise.promise();
    unwritten.add(new Unwritten(record, written));
    if (!writing) {
      writeWaiting();
    }
    return written.future();
  }

  private void writeWaiting() {
    writing = !unwritten.isEmpty();
    if (!writing) {
      return;
    }
    List<Unwritten> taken = new ArrayList<>();
    JsonArray records = new JsonArray();
    long bodyChars = 0;
    while (!unwritten.isEmpty() && taken.size() < MAX_RECORDS_PER_WRITE
      && (taken.isEmpty() || bodyChars + bodyChars(unwritten.peek()) <= MAX_BODY_CHARS_PER_WRITE)) {
      Unwritten next = unwritten.poll();
      bodyChars += bodyChars(next);
      taken.add(next);
      records.add(next.record());
    }
    bus.request(Address.WEBHOOK_RECORD, new JsonObject().put("webhookId", id()).put("records", records))
      .onComplete(done -> {
        taken.forEach(each -> each.written().handle(done.mapEmpty()));
        writeWaiting();
      });
  }

  private static int bodyChars(Unwritten unwritten) {
    JsonObject delivery = unwritten.record().getJsonObject("delivery");
    return delivery == null ? 0 : delivery.getString("body").length();
  }

  private Future<Void> giveUp(JsonObject event, Sender.Outcome last) {
    stop();
    String reason = "Every attempt failed for " + retries.windowMs() / 1000 + " s; the last: " + last.error();
    LOG.warn("Webhook {} disabled: {}", id(), reason);
    Meters.of(vertx).webhooks.endpointDisabled();
    return bus.request(Address.WEBHOOK_GIVE_UP, new JsonObject().put("webhookId", id())
        .put("codelabId", event.getString("codelabId")).put("reason", reason))
      .compose(v -> Future.failedFuture("Endpoint disabled"));
  }

  static JsonObject delivery(JsonObject event, String messageId, String body, int attempt, Sender.Outcome outcome,
                             boolean redelivery) {
    return new JsonObject().put("seq", event.getLong("seq")).put("messageId", messageId)
      .put("type", event.getString("type")).put("body", body)
      .put("status", outcome.delivered() ? "delivered" : "failed").put("attempt", attempt)
      .put("redelivery", redelivery).put("responseCode", outcome.responseCode())
      .put("latencyMs", outcome.latencyMs()).put("error", outcome.error());
  }

  /** Stable per endpoint and event, so a receiver can drop a duplicate after a retry or a takeover. */
  static String messageId(String webhookId, JsonObject event) {
    return "msg_" + webhookId + "_" + event.getString("codelabId") + "_" + event.getLong("seq");
  }

  static String body(JsonObject event) {
    return new JsonObject()
      .put("type", event.getString("type"))
      .put("timestamp", Instant.ofEpochMilli(event.getLong("at")).toString())
      .put("data", event)
      .encode();
  }

  static List<String> secrets(JsonObject target) {
    String previous = target.getString("previousSecret");
    return previous == null ? List.of(target.getString("secret")) : List.of(target.getString("secret"), previous);
  }
}

package io.codelabs.cluster;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A browser that follows the README's client protocol over the raw WebSocket endpoint: it
 * registers its streams, keeps every event by seq (and whether it came live or by replay), asks
 * for what came after its last contiguous event on every (re)connect, and sends each command with
 * an eventId that it resends unchanged after any failure until the command is acknowledged. When
 * its socket closes it connects to the next node that answers, as a load balancer would send it.
 */
final class Participant {
  private static final long RETRY_MS = 100;
  /** As the browser client does, well within the bridge's ping timeout. */
  private static final long PING_MS = 5_000;
  /** The browser client's first reconnect delay (reconnectDelayMin of @vertx/eventbus-bridge-client.js). */
  private static final long RECONNECT_MS = 1_000;
  /** Unavailable, timed out, rate limited, or no answer at all: the outcome is unknown, so send again. */
  private static final Set<Integer> RETRIED = Set.of(503, 504, 429, 0);
  /** Longer than the nodes' bus timeout: the bridge answers first unless the socket died. */
  private static final long ANSWER_MS = 10_000;

  record Received(JsonObject event, boolean live, long nanos) {
  }

  /**
   * A command that failed: its failure code (0 when the socket closed or nothing came), what the
   * node or the socket said, and how long it took.
   */
  record Failure(int code, String message, long millis, long atNanos) {
  }

  final String name;
  final String codelabId;
  /** Null for a facilitator. */
  final String attendeeId;
  final NavigableMap<Long, Received> events = new ConcurrentSkipListMap<>();
  final Map<String, Long> acked = new ConcurrentHashMap<>();
  final Map<String, Long> ackedAtNanos = new ConcurrentHashMap<>();
  final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger duplicates = new AtomicInteger();
  final AtomicInteger reconnects = new AtomicInteger();

  private final Vertx vertx;
  private final Sockets client;
  private final String token;
  private final List<Integer> bridgePorts;
  private volatile int portIndex;
  private volatile BridgeClient socket;
  private volatile boolean closing;
  private Future<Void> catchingUp = Future.succeededFuture();

  Participant(Vertx vertx, String name, String token, String codelabId, String attendeeId, List<Integer> bridgePorts,
              int homeIndex) {
    this.vertx = vertx;
    this.client = BridgeClient.client(vertx);
    this.name = name;
    this.token = token;
    this.codelabId = codelabId;
    this.attendeeId = attendeeId;
    this.bridgePorts = bridgePorts;
    this.portIndex = homeIndex;
  }

  boolean facilitator() {
    return attendeeId == null;
  }

  int port() {
    return bridgePorts.get(portIndex % bridgePorts.size());
  }

  /** Connected, registered and caught up with everything committed before. */
  Future<Void> connect() {
    return BridgeClient.connect(client, port(), token).compose(connected -> {
      socket = connected;
      long pinger = vertx.setPeriodic(PING_MS, id -> connected.write(new JsonObject().put("type", "ping")));
      connected.closed().onComplete(closed -> vertx.cancelTimer(pinger));
      connected.take(this::taken);
      addresses().forEach(connected::register);
      connected.closed().onComplete(closed -> {
        if (!closing) {
          reconnects.incrementAndGet();
          portIndex++;
          vertx.setTimer(RECONNECT_MS, id -> reconnect());
        }
      });
      return catchUp();
    });
  }

  private void reconnect() {
    connect().onFailure(failure -> vertx.setTimer(RETRY_MS, id -> {
      if (socket == null || socket.closed().isComplete()) {
        portIndex++;
      }
      reconnect();
    }));
  }

  private List<String> addresses() {
    return facilitator()
      ? List.of(Address.PUBLIC_EVENTS.of(codelabId), Address.FACILITATOR_EVENTS.of(codelabId))
      : List.of(Address.PUBLIC_EVENTS.of(codelabId), Address.INBOX_EVENTS.of(codelabId, attendeeId));
  }

  /** Events of its streams as they come; a registration refused while the writer was away is asked again. */
  private boolean taken(JsonObject frame) {
    String address = frame.getString("address");
    if (address == null || !address.startsWith("codelab.")) {
      return false;
    }
    if ("err".equals(frame.getString("type"))) {
      vertx.setTimer(RETRY_MS * 2, id -> {
        BridgeClient current = socket;
        current.register(address);
        catchUp();
      });
      return true;
    }
    JsonObject event = frame.getJsonObject("body");
    if (event == null || event.getValue("seq") == null) {
      return false;
    }
    // A catch-up page may bring an event before the live frame of it arrives: only a second live frame is a duplicate.
    Received before = events.putIfAbsent(event.getLong("seq"), new Received(event, true, System.nanoTime()));
    if (before != null && before.live()) {
      duplicates.incrementAndGet();
    }
    return true;
  }

  /** Replays after the last event it is sure it has, page after page, retrying until it gets an answer. */
  synchronized Future<Void> catchUp() {
    if (catchingUp.isComplete()) {
      catchingUp = replay();
    }
    return catchingUp;
  }

  private Future<Void> replay() {
    JsonObject body = new JsonObject().put("after", watermark()).put("limit", 500);
    if (facilitator()) {
      body.put("codelabId", codelabId);
    }
    return ask(Address.EVENTS_SINCE.address, body).transform(answer -> {
      if (answer.failed() || !"rec".equals(answer.result().getString("type"))) {
        return closing ? Future.succeededFuture() : later().compose(v -> replay());
      }
      JsonObject page = answer.result().getJsonObject("body");
      page.getJsonArray("events", new JsonArray()).stream().map(JsonObject.class::cast)
        .forEach(event -> events.putIfAbsent(event.getLong("seq"), new Received(event, false, System.nanoTime())));
      return page.getBoolean("more", false) ? replay() : Future.succeededFuture();
    });
  }

  /**
   * The seq after which nothing it may see can be missing: for a facilitator the end of its
   * contiguous seqs; for an attendee, per stream, the last event before a streamSeq gap.
   */
  long watermark() {
    if (events.isEmpty()) {
      return 0;
    }
    if (facilitator()) {
      long mark = 0;
      for (long seq : events.keySet()) {
        if (seq != mark + 1) {
          break;
        }
        mark = seq;
      }
      return mark;
    }
    long mark = events.lastKey();
    Map<String, Long> nextStreamSeq = new ConcurrentHashMap<>();
    Map<String, Long> lastContiguous = new ConcurrentHashMap<>();
    for (Received received : events.values()) {
      String stream = received.event.getString("stream");
      long expected = nextStreamSeq.getOrDefault(stream, 1L);
      if (expected < 0) {
        continue;
      }
      if (received.event.getLong("streamSeq") == expected) {
        nextStreamSeq.put(stream, expected + 1);
        lastContiguous.put(stream, received.event.getLong("seq"));
      } else {
        nextStreamSeq.put(stream, -1L);
        mark = Math.min(mark, lastContiguous.getOrDefault(stream, 0L));
      }
    }
    return mark;
  }

  /** Sends until acknowledged, the same eventId every time. */
  Future<JsonObject> send(Address address, JsonObject body) {
    long started = System.nanoTime();
    return ask(address.address, body).transform(answer -> {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (answer.succeeded() && "rec".equals(answer.result().getString("type"))) {
        JsonObject reply = answer.result().getJsonObject("body");
        String eventId = body.getString("eventId");
        acked.put(eventId, reply.getLong("seq"));
        ackedAtNanos.put(eventId, System.nanoTime());
        return Future.succeededFuture(reply);
      }
      int code = answer.succeeded() ? answer.result().getInteger("failureCode", 0) : 0;
      String message = answer.succeeded() ? answer.result().getString("message") : answer.cause().getMessage();
      failures.add(new Failure(code, message, millis, started));
      if (!RETRIED.contains(code)) {
        return Future.failedFuture(name + ": " + address.address + " answered " + answer.result().encode());
      }
      return later().compose(v -> send(address, body));
    });
  }

  /**
   * The attendee's own mix until {@code stop} completes: progress to the next step and a public
   * chat message in turn, one after the other, each with its own eventId.
   */
  Future<Void> keepSending(Future<Void> stop, long intervalMs) {
    return sendFrom(0, stop, intervalMs);
  }

  private Future<Void> sendFrom(int index, Future<Void> stop, long intervalMs) {
    if (stop.isComplete()) {
      return Future.succeededFuture();
    }
    String eventId = name + "-write-" + index;
    Future<JsonObject> sent = index % 2 == 0
      ? send(Address.PROGRESS_REPORT, new JsonObject().put("eventId", eventId).put("step", (index / 2 + 1) % 3))
      : send(Address.CHAT_SEND, new JsonObject().put("eventId", eventId).put("text", "message " + eventId));
    return sent.compose(reply -> {
      Promise<Void> pause = Promise.promise();
      vertx.setTimer(intervalMs, id -> pause.complete());
      return pause.future();
    }).compose(v -> sendFrom(index + 1, stop, intervalMs));
  }

  @Override
  public String toString() {
    List<Failure> recent = List.copyOf(failures);
    return name + " on port " + port() + ": " + events.size() + " events, " + acked.size() + " acknowledged, "
      + reconnects.get() + " reconnects, failures " + recent.subList(Math.max(0, recent.size() - 3), recent.size());
  }

  Future<Void> close() {
    closing = true;
    BridgeClient current = socket;
    return current == null ? Future.succeededFuture() : current.close().otherwiseEmpty();
  }

  /** The reply frame; fails when the socket closes first or nothing comes in time. */
  private Future<JsonObject> ask(String address, JsonObject body) {
    BridgeClient current = socket;
    if (current == null || current.closed().isComplete()) {
      return Future.failedFuture("not connected");
    }
    Promise<JsonObject> answer = Promise.promise();
    current.request(address, body).onComplete(answer);
    current.closed().onComplete(closed -> answer.tryFail("socket closed"));
    long timer = vertx.setTimer(ANSWER_MS, id -> answer.tryFail("no answer"));
    return answer.future().andThen(done -> vertx.cancelTimer(timer));
  }

  private Future<Void> later() {
    Promise<Void> pause = Promise.promise();
    vertx.setTimer(RETRY_MS, id -> pause.complete());
    return pause.future();
  }
}

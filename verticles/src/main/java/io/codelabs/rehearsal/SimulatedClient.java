package io.codelabs.rehearsal;

import io.codelabs.bus.Address;
import io.codelabs.bus.EventType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated person on one realtime socket: an attendee (public stream and inbox, progress,
 * chat, help, the odd dropped connection) or the facilitator's dashboard (every stream). All its
 * state lives on its own Vert.x context, so it needs no locks.
 */
final class SimulatedClient {
  private static final String REPLAY = Address.EVENTS_SINCE.address;
  private static final long PING_MS = 20_000;

  private final Rehearsal run;
  private final Context context;
  private final WebSocketClient sockets;
  private final boolean dashboard;
  private final String token;
  private final String attendeeId;
  private final List<String> addresses;
  private final Map<String, Pending> pending = new HashMap<>();

  final Samples eventLatency = new Samples();
  final Samples ackLatency = new Samples();
  final BitSet seen = new BitSet();
  long firstSeen = -1;
  long liveEvents;
  long replayedEvents;
  private long maxSeq;
  private int step;
  private WebSocket socket;
  private boolean leaving;
  private boolean dropping;
  private boolean helpOpen;
  private boolean replaying;
  private long pingTimer = -1;
  private long behaviourTimer = -1;

  private record Pending(long sentNanos, String kind) {
  }

  SimulatedClient(Rehearsal run, Context context, WebSocketClient sockets, String codelabId, String token,
                  String attendeeId) {
    this.run = run;
    this.context = context;
    this.sockets = sockets;
    this.token = token;
    this.attendeeId = attendeeId;
    this.dashboard = attendeeId == null;
    this.addresses = dashboard
      ? List.of(Address.PUBLIC_EVENTS.of(codelabId), Address.FACILITATOR_EVENTS.of(codelabId),
        Address.DASHBOARD_EVENTS.of(codelabId))
      : List.of(Address.PUBLIC_EVENTS.of(codelabId), Address.INBOX_EVENTS.of(codelabId, attendeeId));
  }

  boolean connected() {
    return socket != null && !socket.isClosed();
  }

  /** Connected and caught up: no replay still on its way. */
  boolean settled() {
    return connected() && !replaying;
  }

  /** The highest stream position this client saw: the public stream's for attendees, the codelab's seq for the dashboard. */
  long highestSeen() {
    return seen.length() - 1;
  }

  Future<Void> connect() {
    return Future.<Void>future(promise -> context.runOnContext(v -> open().onComplete(promise)));
  }

  void startBehaviour() {
    context.runOnContext(v -> scheduleNextAction());
  }

  void stop() {
    context.runOnContext(v -> {
      leaving = true;
      context.owner().cancelTimer(behaviourTimer);
      context.owner().cancelTimer(pingTimer);
      if (socket != null) {
        socket.close();
      }
    });
  }

  private Future<Void> open() {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(run.websocketUrl())
      .addHeader("Authorization", "Bearer " + token);
    return sockets.connect(options).map(opened -> {
      socket = opened;
      run.socketOpened();
      opened.binaryMessageHandler(this::received);
      opened.textMessageHandler(text -> received(Buffer.buffer(text)));
      opened.closeHandler(v -> closed());
      addresses.forEach(address -> write(new JsonObject().put("type", "register").put("address", address)));
      pingTimer = context.owner().setPeriodic(PING_MS, id -> write(new JsonObject().put("type", "ping")));
      if (maxSeq > 0) {
        replay();
      }
      return (Void) null;
    }).onFailure(failure -> run.error("connect: " + failure.getClass().getSimpleName()));
  }

  private void closed() {
    run.socketClosed();
    context.owner().cancelTimer(pingTimer);
    if (leaving) {
      return;
    }
    if (dropping) {
      dropping = false;
    } else {
      run.error("socket closed by server: " + socket.closeStatusCode());
    }
    reconnectLater();
  }

  private void reconnectLater() {
    long delay = ThreadLocalRandom.current().nextLong(1_000, 5_000);
    context.owner().setTimer(delay, id -> {
      if (!leaving) {
        open().onFailure(failure -> reconnectLater());
      }
    });
  }

  private void scheduleNextAction() {
    long every = run.config().progressEveryMs();
    long delay = every / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, every));
    behaviourTimer = context.owner().setTimer(delay, id -> {
      if (leaving || !run.acting()) {
        return;
      }
      act();
      scheduleNextAction();
    });
  }

  private void act() {
    if (!connected()) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    RehearsalConfig config = run.config();
    if (random.nextDouble() < config.disconnectChance()) {
      run.count("disconnects (simulated)");
      dropping = true;
      socket.close();
      return;
    }
    step = Math.min(step + 1, config.steps() - 1);
    command(Address.PROGRESS_REPORT.address, "progress", new JsonObject().put("step", step).put("completed", true));
    if (random.nextDouble() < config.chatChance()) {
      command(Address.CHAT_SEND.address, "chat", new JsonObject().put("text", "Step " + step + " done"));
    }
    if (!helpOpen && random.nextDouble() < config.helpChance()) {
      helpOpen = true;
      command(Address.HELP_REQUEST.address, "help", new JsonObject().put("step", step).put("message", "Stuck on " + step));
    }
  }

  private void command(String address, String kind, JsonObject body) {
    String eventId = kind + "-" + UUID.randomUUID();
    String replyAddress = UUID.randomUUID().toString();
    long now = System.nanoTime();
    run.sent(eventId, now);
    pending.put(replyAddress, new Pending(now, kind));
    write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
      .put("body", body.put("eventId", eventId)));
  }

  private void replay() {
    replaying = true;
    String replyAddress = UUID.randomUUID().toString();
    pending.put(replyAddress, new Pending(System.nanoTime(), "replay"));
    write(new JsonObject().put("type", "send").put("address", REPLAY).put("replyAddress", replyAddress)
      .put("body", new JsonObject().put("codelabId", run.codelabId()).put("after", maxSeq).put("limit", 1000)));
  }

  private void write(JsonObject frame) {
    if (connected()) {
      socket.writeTextMessage(frame.encode());
    }
  }

  private void received(Buffer buffer) {
    long now = System.nanoTime();
    JsonObject frame = new JsonObject(buffer);
    String address = frame.getString("address");
    Pending answered = address == null ? null : pending.remove(address);
    if (answered != null) {
      answer(frame, answered, now);
    } else if ("rec".equals(frame.getString("type"))) {
      JsonObject body = frame.getJsonObject("body");
      if (body != null && body.containsKey("seq")) {
        event(body, now, false);
      } else if (body != null) {
        run.count("dashboard snapshots");
      }
    } else if ("err".equals(frame.getString("type"))) {
      run.error("bridge: " + frame.getString("body"));
    }
  }

  private void answer(JsonObject frame, Pending answered, long now) {
    if ("err".equals(frame.getString("type"))) {
      replaying = replaying && !"replay".equals(answered.kind);
      run.error(answered.kind + " failed: " + frame.getValue("failureCode") + " " + frame.getString("message"));
      return;
    }
    if (!"replay".equals(answered.kind)) {
      ackLatency.add(TimeUnit.NANOSECONDS.toMicros(now - answered.sentNanos));
      return;
    }
    JsonObject page = frame.getJsonObject("body");
    if (page.getBoolean("reset", false)) {
      run.count("replays too long (reset)");
      replaying = false;
      return;
    }
    JsonArray events = page.getJsonArray("events");
    for (int i = 0; i < events.size(); i++) {
      event(events.getJsonObject(i), now, true);
    }
    if (page.getBoolean("more", false)) {
      replay();
    } else {
      replaying = false;
    }
  }

  private void event(JsonObject event, long now, boolean replayed) {
    long seq = event.getLong("seq");
    maxSeq = Math.max(maxSeq, seq);
    helpFlow(event, replayed);
    boolean counted = dashboard || EventType.Stream.PUBLIC.wire.equals(event.getString("stream"));
    long position = dashboard ? seq : event.getLong("streamSeq", -1L);
    if (!counted || position < 0) {
      return;
    }
    if (seen.get((int) position)) {
      return;
    }
    seen.set((int) position);
    if (firstSeen < 0 && !replayed) {
      firstSeen = position;
    }
    run.eventReceived();
    if (replayed) {
      replayedEvents++;
      return;
    }
    liveEvents++;
    String type = event.getString("type");
    boolean measured = (dashboard ? EventType.ATTENDEE_STEP_CHANGED : EventType.CHAT_POSTED).type.equals(type);
    Long sentAt = measured ? run.sentAt(event.getString("eventId")) : null;
    if (sentAt != null) {
      eventLatency.add(TimeUnit.NANOSECONDS.toMicros(now - sentAt));
    }
  }

  /**
   * The dashboard answers help requests as a facilitator would (claims, then resolves a moment
   * later); an attendee asks again only once its request is resolved.
   */
  private void helpFlow(JsonObject event, boolean replayed) {
    String type = event.getString("type");
    if (dashboard && !replayed && EventType.HELP_REQUESTED.type.equals(type)) {
      String helpId = event.getJsonObject("data").getJsonObject("help").getString("id");
      long delay = ThreadLocalRandom.current().nextLong(500, 2_000);
      context.owner().setTimer(delay, id -> {
        facilitatorCommand(Address.HELP_CLAIM.address, helpId);
        context.owner().setTimer(delay, again -> facilitatorCommand(Address.HELP_RESOLVE.address, helpId));
      });
    } else if (!dashboard && EventType.HELP_RESOLVED.type.equals(type)) {
      helpOpen = false;
    }
  }

  private void facilitatorCommand(String address, String helpId) {
    String replyAddress = UUID.randomUUID().toString();
    pending.put(replyAddress, new Pending(System.nanoTime(), address.substring(address.lastIndexOf('.') + 1)));
    write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
      .put("body", new JsonObject().put("codelabId", run.codelabId()).put("helpId", helpId)));
  }
}

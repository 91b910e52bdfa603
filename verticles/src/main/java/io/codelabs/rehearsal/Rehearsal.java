package io.codelabs.rehearsal;

import io.codelabs.connections.FileBudget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load rehearsal an operator runs against a real deployment before a workshop:
 * {@code java -jar codelabs.jar rehearse --url ... --attendees 1000}.
 */
public final class Rehearsal {
  private static final long PROGRESS_LINE_MS = 2_000;
  private static final long SETTLE_LIMIT_MS = 10_000;
  private static final long SETTLE_POLL_MS = 200;
  private static final long IN_FLIGHT_MS = 1_000;
  private static final int MAX_JOINS_IN_FLIGHT = 64;
  /** Files the rehearsal opens besides its attendees' sockets: the dashboard's, the joins' connections, the JVM's. */
  private static final int OWN_FILES = 100;
  /** A replay page of 1,000 events arrives as one message of several hundred KB, past the client's default cap. */
  private static final int REPLAY_PAGE_BYTES = 8 * 1024 * 1024;

  private final Vertx vertx;
  private final RehearsalConfig config;
  private final PrintStream out;
  private final WebClient api;
  private final List<WebSocketClient> socketClients = new ArrayList<>();
  private final List<SimulatedClient> attendees = new CopyOnWriteArrayList<>();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder eventsReceived = new LongAdder();
  private final AtomicInteger openSockets = new AtomicInteger();
  private final AtomicInteger peakSockets = new AtomicInteger();
  private final AtomicLong maxQueueDepth = new AtomicLong();
  private final AtomicInteger joinsInFlight = new AtomicInteger();
  private final String runId = UUID.randomUUID().toString().substring(0, 6);
  private volatile boolean acting = true;
  private String codelabId;
  private String websocketUrl;
  /** The writer's figures in /ready are shown only to the instance admin, so the rehearsal asks with its token. */
  private String facilitatorToken;
  private SimulatedClient dashboard;
  private long eventsAtLastLine;

  Rehearsal(Vertx vertx, RehearsalConfig config, PrintStream out) {
    this.vertx = vertx;
    this.config = config;
    this.out = out;
    URI url = config.url();
    this.api = WebClient.create(vertx, new WebClientOptions().setDefaultHost(url.getHost())
      .setDefaultPort(url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80)
      .setSsl("https".equals(url.getScheme())).setFollowRedirects(false),
      new PoolOptions().setHttp1MaxSize(MAX_JOINS_IN_FLIGHT));
    List<String> sources = config.sourceAddresses().isEmpty() ? List.of("") : config.sourceAddresses();
    for (String source : sources) {
      WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
        .setConnectTimeout(20_000).setMaxMessageSize(REPLAY_PAGE_BYTES);
      if (!source.isEmpty()) {
        options.setLocalAddress(source);
      }
      socketClients.add(vertx.createWebSocketClient(options));
    }
  }

  public static void main(String[] args) {
    RehearsalConfig config;
    try {
      config = RehearsalConfig.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(RehearsalConfig.USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject report = new Rehearsal(vertx, config, System.out).run().await();
      if (config.jsonFile() != null) {
        Files.writeString(Path.of(config.jsonFile()), report.encodePrettily());
      }
    } catch (Exception e) {
      System.err.println("The rehearsal stopped: " + e.getMessage());
      System.exit(1);
    } finally {
      vertx.close();
    }
  }

  /** Runs the whole rehearsal and answers with its report (also printed). */
  public Future<JsonObject> run() {
    long openFiles = FileBudget.ofThisProcess().openFiles();
    if (config.attendees() + OWN_FILES > openFiles) {
      // Told before the first join: past the limit sockets fail one by one, mid-run, as errors of the node's.
      return Future.failedFuture(String.format(Locale.ROOT, "%d attendees need a socket each, and this process may open "
        + "%d files: raise the hard limit (ulimit -n) or rehearse fewer", config.attendees(), openFiles));
    }
    long started = System.nanoTime();
    return login()
      .onSuccess(token -> facilitatorToken = token)
      .compose(token -> codelab(token).compose(id -> {
        codelabId = id;
        return realtimeUrl();
      }).compose(url -> {
        websocketUrl = url.replaceFirst("^http", "ws") + "/websocket";
        return writerStatus();
      }).compose(writerBefore -> {
        dashboard = new SimulatedClient(this, vertx.getOrCreateContext(), socketClients.get(0), codelabId, token, null);
        return dashboard.connect().map(writerBefore);
      }))
      .compose(writerBefore -> {
        out.printf("Rehearsing %d attendees against %s (codelab %s): %d s ramp, %d s of work%n",
          config.attendees(), config.url(), codelabId, config.rampSeconds(), config.durationSeconds());
        long ticker = vertx.setPeriodic(PROGRESS_LINE_MS, id -> progressLine(started));
        return ramp().compose(v -> after(config.durationSeconds() * 1000L)).compose(v -> {
          acting = false;
          return settled(System.nanoTime() + SETTLE_LIMIT_MS * 1_000_000);
        }).compose(v -> after(IN_FLIGHT_MS)).compose(v -> writerStatus()).map(writerAfter -> {
          vertx.cancelTimer(ticker);
          JsonObject report = report(started, writerBefore, writerAfter);
          out.print(Reports.text(report));
          attendees.forEach(SimulatedClient::stop);
          dashboard.stop();
          return report;
        });
      });
  }

  private Future<String> login() {
    return call(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("username", config.username())
      .put("password", config.password()).put("delivery", "bearer"))
      .map(body -> body.getString("token"));
  }

  private Future<String> codelab(String token) {
    if (config.codelabId() != null) {
      return Future.succeededFuture(config.codelabId());
    }
    JsonArray steps = new JsonArray();
    for (int i = 1; i <= config.steps(); i++) {
      steps.add(new JsonObject().put("title", "Step " + i).put("durationMinutes", 5)
        .put("markdown", "## Step " + i + "\n\nRun `./gradlew test` and check the output.\n"));
    }
    return call(HttpMethod.POST, "/api/codelabs", token, new JsonObject()
      .put("title", "Load rehearsal " + runId).put("steps", steps))
      .map(body -> body.getString("id"));
  }

  private Future<String> realtimeUrl() {
    return call(HttpMethod.GET, "/api/realtime", null, null).map(body -> body.getString("url"));
  }

  private Future<JsonObject> writerStatus() {
    return call(HttpMethod.GET, "/ready", facilitatorToken, null)
      .map(body -> body.getJsonObject("writer", new JsonObject()))
      .otherwise(new JsonObject());
  }

  /** Attendees join at an even pace over the ramp; each one starts acting once its socket is open. */
  private Future<Void> ramp() {
    Promise<Void> done = Promise.promise();
    long spacingMicros = Math.max(1, config.rampSeconds() * 1_000_000L / config.attendees());
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    long rampStart = System.nanoTime();
    long timer = vertx.setPeriodic(Math.max(1, Math.min(50, spacingMicros / 1000)), id -> {
      long due = Math.min(config.attendees(),
        TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - rampStart) / spacingMicros + 1);
      while (started.get() < due && joinsInFlight.get() < MAX_JOINS_IN_FLIGHT) {
        int index = started.getAndIncrement();
        joinsInFlight.incrementAndGet();
        join(index).onComplete(result -> {
          joinsInFlight.decrementAndGet();
          if (finished.incrementAndGet() == config.attendees()) {
            done.tryComplete();
          }
        });
      }
      if (started.get() >= config.attendees()) {
        vertx.cancelTimer(id);
      }
    });
    return done.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  private Future<Void> join(int index) {
    String nickname = "rehearsal-" + runId + "-" + index;
    return call(HttpMethod.POST, "/api/codelabs/" + codelabId + "/attendees", null, new JsonObject()
        .put("nickname", nickname).put("personalCode", UUID.randomUUID().toString()).put("delivery", "bearer"))
      .compose(joined -> {
        Context context = vertx.getOrCreateContext();
        SimulatedClient attendee = new SimulatedClient(this, context,
          socketClients.get(index % socketClients.size()), codelabId, joined.getString("token"),
          joined.getJsonObject("attendee").getString("id"));
        attendees.add(attendee);
        return attendee.connect().onSuccess(v -> attendee.startBehaviour());
      })
      .recover(failure -> Future.succeededFuture());
  }

  private Future<JsonObject> call(HttpMethod method, String path, String token, JsonObject body) {
    var request = api.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendJsonObject(body);
    return response.recover(failure -> {
      error(path.replaceAll("/[0-9a-f-]{36}", "/{id}") + ": " + failure.getClass().getSimpleName());
      return Future.failedFuture(failure);
    }).compose(answer -> {
      if (answer.statusCode() >= 300) {
        error(method + " " + path.replaceAll("/[0-9a-f-]{36}", "/{id}") + ": HTTP " + answer.statusCode());
        return Future.failedFuture(method + " " + path + " answered " + answer.statusCode() + ": " + answer.bodyAsString());
      }
      return Future.succeededFuture(answer.bodyAsJsonObject());
    });
  }

  /** Once acting stops, waits for dropped clients to reconnect and replay, so delivery counts what they got back. */
  private Future<Void> settled(long deadlineNanos) {
    if (attendees.stream().allMatch(SimulatedClient::settled) || System.nanoTime() > deadlineNanos) {
      return Future.succeededFuture();
    }
    return after(SETTLE_POLL_MS).compose(v -> settled(deadlineNanos));
  }

  private Future<Void> after(long millis) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }

  private void progressLine(long started) {
    writerStatus().onSuccess(writer -> maxQueueDepth.accumulateAndGet(writer.getLong("queueDepth", 0L), Math::max));
    long events = eventsReceived.sum();
    out.printf("[%4ds] joined %d/%d  sockets %d  events %,d (%,d/s)  errors %,d%n",
      TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), attendees.size(), config.attendees(),
      openSockets.get(), events, (events - eventsAtLastLine) * 1000 / PROGRESS_LINE_MS,
      errors.values().stream().mapToLong(LongAdder::sum).sum());
    eventsAtLastLine = events;
  }

  private JsonObject report(long started, JsonObject writerBefore, JsonObject writerAfter) {
    double seconds = (System.nanoTime() - started) / 1e9;
    Samples attendeeLatency = new Samples();
    Samples ackLatency = new Samples();
    long expected = 0;
    long live = 0;
    long replayed = 0;
    long lastPublic = attendees.stream().mapToLong(SimulatedClient::highestSeen).max().orElse(-1);
    for (SimulatedClient attendee : attendees) {
      attendeeLatency.addAll(attendee.eventLatency);
      ackLatency.addAll(attendee.ackLatency);
      if (attendee.firstSeen >= 0) {
        expected += lastPublic - attendee.firstSeen + 1;
        live += attendee.liveEvents;
        replayed += attendee.replayedEvents;
      }
    }
    long dashboardExpected = dashboard.firstSeen < 0 ? 0 : dashboard.highestSeen() - dashboard.firstSeen + 1;
    long batches = writerAfter.getLong("batches", 0L) - writerBefore.getLong("batches", 0L);
    long commands = writerAfter.getLong("commands", 0L) - writerBefore.getLong("commands", 0L);
    return new JsonObject()
      .put("url", config.url().toString())
      .put("codelabId", codelabId)
      .put("attendees", config.attendees())
      .put("seconds", Math.round(seconds * 10) / 10.0)
      .put("connections", new JsonObject().put("held", openSockets.get()).put("peak", peakSockets.get())
        .put("joined", attendees.size()))
      .put("events", new JsonObject().put("received", eventsReceived.sum())
        .put("perSecond", Math.round(eventsReceived.sum() / seconds)))
      .put("latency", new JsonObject()
        .put("attendees", attendeeLatency.summary())
        .put("dashboard", dashboard.eventLatency.summary())
        .put("commandAck", ackLatency.summary()))
      .put("delivery", new JsonObject()
        .put("attendees", delivery(expected, live, replayed))
        .put("dashboard", delivery(dashboardExpected, dashboard.liveEvents, dashboard.replayedEvents)))
      .put("errors", sorted(errors))
      .put("counts", sorted(counts))
      .put("writer", new JsonObject().put("commands", commands).put("batches", batches)
        .put("meanBatch", batches == 0 ? 0.0 : Math.round(10.0 * commands / batches) / 10.0)
        .put("maxQueueDepth", maxQueueDepth.get()));
  }

  private static JsonObject delivery(long expected, long live, long replayed) {
    return new JsonObject().put("expected", expected).put("live", live).put("replayed", replayed)
      .put("percent", expected == 0 ? 100.0 : Math.round(10_000.0 * (live + replayed) / expected) / 100.0);
  }

  private static JsonObject sorted(Map<String, LongAdder> counters) {
    JsonObject json = new JsonObject();
    new TreeMap<>(counters).forEach((kind, count) -> json.put(kind, count.sum()));
    return json;
  }

  RehearsalConfig config() {
    return config;
  }

  String codelabId() {
    return codelabId;
  }

  String websocketUrl() {
    return websocketUrl;
  }

  boolean acting() {
    return acting;
  }

  void sent(String eventId, long nanos) {
    sentAt.put(eventId, nanos);
  }

  Long sentAt(String eventId) {
    return eventId == null ? null : sentAt.get(eventId);
  }

  void eventReceived() {
    eventsReceived.increment();
  }

  void socketOpened() {
    peakSockets.accumulateAndGet(openSockets.incrementAndGet(), Math::max);
  }

  void socketClosed() {
    openSockets.decrementAndGet();
  }

  void error(String kind) {
    counts(errors, kind);
  }

  void count(String kind) {
    counts(counts, kind);
  }

  private static void counts(Map<String, LongAdder> counters, String kind) {
    counters.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }
}

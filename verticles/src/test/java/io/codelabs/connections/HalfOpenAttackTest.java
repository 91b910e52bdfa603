package io.codelabs.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.RawConnection;
import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11's attack, scaled to one JVM: thousands of connections that never finish their request head,
 * against both servers at their default limits, while an attendee's whole path keeps working.
 * Figures are printed on lines starting with {@code ATTACK-FIGURE}.
 */
@DisplayName("A half-open connection flood leaves the node to everyone else")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HalfOpenAttackTest extends NodeTestBase {
  static final int ATTACKER_ADDRESSES = 16;
  /**
   * Above what both pending caps together admit, so the attacker always has connections to reopen. Both ends of a
   * loopback connection are files of this JVM: even with none closed they stay at 12,800, below its 20,000.
   */
  static final int ATTACKER_TARGET = 6_400;
  static final int ATTACKER_PEAK_AT_LEAST = 3_000;
  /**
   * 500 opens a second: past the header time (10 s) that is more than both pending caps hold, so the oldest are
   * evicted all along, while the attacker leaves the shared cores to the server. At most about 40 s of it.
   */
  static final long ATTACKER_TICK_MS = 20;
  static final int ATTACKER_OPENS_PER_TICK = 10;
  static final int ATTACKER_MAX_OPENS = 20_000;
  static final int BASELINE_ROUNDS = 8;
  /** Rounds under attack continue until both are reached, well within the attacker's open budget. */
  static final int ATTACK_ROUNDS_AT_LEAST = 8;
  static final long ATTACK_AT_LEAST_MS = 15_000;
  static final long HEALTH_EVERY_MS = 200;
  /**
   * The API's own request time: slower than that the node would have answered 408, so the operation was not served.
   * On 2 cores shared with other builds this bounds stalls, not typical latency; the printed figures show that.
   */
  static final long OPERATION_BOUND_MS = ConnectionLimits.API.requestTimeoutMs();
  static final long SLACK_MS = 5_000;

  private static Vertx attackerVertx;
  private static Vertx legitVertx;
  private static Http legit;
  private static Sockets sockets;
  private static WebClient prober;

  @BeforeAll
  static void clients() {
    attackerVertx = Vertx.vertx();
    legitVertx = Vertx.vertx();
    legit = new Http(legitVertx, node.httpPort);
    sockets = BridgeClient.client(legitVertx);
    prober = WebClient.create(legitVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(node.httpPort));
  }

  @AfterAll
  static void closeClients() {
    legit.close();
    legitVertx.close().await();
    attackerVertx.close().await();
  }

  /** Latencies of one phase, by operation, in milliseconds; the health prober adds to them from its event loop. */
  private static final class Phase {
    final String name;
    final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    final AtomicInteger healthFailures = new AtomicInteger();

    Phase(String name) {
      this.name = name;
    }

    void record(String operation, long startedNanos) {
      add(operation, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    void add(String operation, long millis) {
      latencies.computeIfAbsent(operation, key -> new CopyOnWriteArrayList<>()).add(millis);
    }

    <T> T timed(String operation, Supplier<T> call) {
      long started = System.nanoTime();
      T result = call.get();
      record(operation, started);
      return result;
    }

    long max(String operation) {
      return latencies.get(operation).stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    void print() {
      new TreeMap<>(latencies).forEach((operation, values) -> {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        figure("%s.%s n=%d p50=%d p99=%d max=%d ms", name, operation, sorted.size(), percentile(sorted, 0.50),
          percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
      });
      figure("%s.health.failures=%d", name, healthFailures.get());
    }
  }

  private static long percentile(List<Long> sorted, double quantile) {
    return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
  }

  private static void figure(String format, Object... values) {
    System.out.println("ATTACK-FIGURE " + String.format(format, values));
  }

  /**
   * Opens connections from 127.0.0.2 onwards to both servers, each sending part of a request head and then
   * nothing, and reopens those the servers close, paced and bounded in count. It closes none itself.
   */
  private static final class Attacker {
    final List<NetClient> clients = new ArrayList<>();
    final int[] ports;
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger connecting = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final AtomicLong opened = new AtomicLong();
    final AtomicLong closedByServer = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final Promise<Void> peaked = Promise.promise();
    final Promise<Void> drained = Promise.promise();
    volatile boolean stopped;
    long slot;
    long timer;

    Attacker(int apiPort, int bridgePort) {
      for (int i = 0; i < ATTACKER_ADDRESSES; i++) {
        clients.add(attackerVertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0." + (i + 2))));
      }
      ports = new int[] {apiPort, bridgePort};
    }

    void start() {
      timer = attackerVertx.setPeriodic(ATTACKER_TICK_MS, id -> topUp());
    }

    void topUp() {
      for (int i = 0; i < ATTACKER_OPENS_PER_TICK && !stopped && open.get() + connecting.get() < ATTACKER_TARGET
        && opened.get() < ATTACKER_MAX_OPENS; i++) {
        int port = ports[(int) (slot % ports.length)];
        NetClient client = clients.get((int) (slot / ports.length % clients.size()));
        slot++;
        openOne(client, port);
      }
    }

    void openOne(NetClient client, int port) {
      opened.incrementAndGet();
      connecting.incrementAndGet();
      RawConnection.open(client, port).onComplete(connected -> {
        connecting.decrementAndGet();
        if (connected.failed()) {
          connectFailures.incrementAndGet();
          drainedIfDone();
          return;
        }
        RawConnection connection = connected.result();
        if (peak.accumulateAndGet(open.incrementAndGet(), Math::max) >= ATTACKER_PEAK_AT_LEAST) {
          peaked.tryComplete();
        }
        connection.write(port == ports[0] ? "GET /health HTTP/1.1\r\nHost: localhost\r\n"
          : "GET /eventbus/websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        connection.closed().onComplete(closed -> {
          closedByServer.incrementAndGet();
          open.decrementAndGet();
          drainedIfDone();
        });
      });
    }

    void stop() {
      stopped = true;
      attackerVertx.cancelTimer(timer);
      drainedIfDone();
    }

    void drainedIfDone() {
      if (stopped && open.get() == 0 && connecting.get() == 0) {
        drained.tryComplete();
      }
    }
  }

  private static long probeHealth(Phase[] current) {
    return legitVertx.setPeriodic(HEALTH_EVERY_MS, id -> {
      Phase phase = current[0];
      long started = System.nanoTime();
      prober.get("/health").timeout(OPERATION_BOUND_MS).send().onComplete(answered -> {
        if (answered.succeeded() && answered.result().statusCode() == 200) {
          phase.record("health-probe", started);
        } else {
          phase.healthFailures.incrementAndGet();
        }
      });
    });
  }

  /** An attendee's path: sign in, join, open a realtime socket, subscribe, and see an announcement posted over REST. */
  private static void round(Phase phase, String codelabId, int round) {
    String facilitator = phase.timed("sign-in", () -> legit.login(Node.FIRST_FACILITATOR, node.createdPassword));
    String nickname = "learner-" + phase.name + "-" + round;
    String attendee = phase.timed("join", () -> legit.join(codelabId, nickname, "code-" + nickname))
      .getString("token");
    BridgeClient realtime = phase.timed("realtime-connect", () -> within(
      BridgeClient.connect(sockets, node.bridgePort, attendee)));
    phase.timed("subscribe", () -> {
      realtime.register(Address.PUBLIC_EVENTS.of(codelabId));
      return within(realtime.request(Address.EVENTS_SINCE.address,
        new JsonObject().put("codelabId", codelabId).put("after", 0)));
    });
    String text = "Round " + round + " of " + phase.name;
    Future<Long> deliveredAt = realtime.next(frame -> BridgeClient.event("announcement.posted").test(frame)
        && text.equals(frame.getJsonObject("body").getJsonObject("data").getJsonObject("announcement").getString("text")))
      .map(frame -> System.nanoTime());
    long posted = System.nanoTime();
    Http.Response announced = phase.timed("announce", () -> legit.post("/api/codelabs/" + codelabId
      + "/announcements", facilitator, new JsonObject().put("text", text)));
    assertThat(announced.status()).as(text).isEqualTo(201);
    phase.add("event-delivery", TimeUnit.NANOSECONDS.toMillis(within(deliveredAt) - posted));
    assertThat(phase.timed("health", () -> legit.get("/health", null)).status()).isEqualTo(200);
    within(realtime.close());
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static <T> T within(Future<T> future) {
    try {
      return future.await(OPERATION_BOUND_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("No answer within " + OPERATION_BOUND_MS + " ms", e);
    }
  }

  @Test
  @DisplayName("An attacker holding thousands of half-open requests on both servers does not stop sign-in, join, realtime or /health")
  void attendeesAreServedDuringTheAttack() throws Exception {
    String codelabId = codelab(admin);
    Phase baseline = new Phase("baseline");
    Phase attack = new Phase("attack");
    Phase[] current = {baseline};
    long probing = probeHealth(current);
    Attacker attacker = new Attacker(node.httpPort, node.bridgePort);
    try {
      for (int i = 0; i < BASELINE_ROUNDS; i++) {
        round(baseline, codelabId, i);
      }
      current[0] = attack;
      long attackStarted = System.nanoTime();
      attacker.start();
      attacker.peaked.future().await(45, TimeUnit.SECONDS);
      figure("attack.rampToPeakMs=%d", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attackStarted));
      for (int i = 0; i < ATTACK_ROUNDS_AT_LEAST || System.nanoTime() - attackStarted < ms(ATTACK_AT_LEAST_MS); i++) {
        round(attack, codelabId, i);
      }
      figure("attack.durationMs=%d", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attackStarted));
    } finally {
      legitVertx.cancelTimer(probing);
      attacker.stop();
    }
    int openAtStop = attacker.open.get();
    long stopped = System.nanoTime();
    long headerTimeoutMs = Math.max(ConnectionLimits.API.headerTimeoutMs(), ConnectionLimits.BRIDGE.headerTimeoutMs());
    boolean drained = attacker.drained.future().map(true).toCompletionStage().toCompletableFuture()
      .completeOnTimeout(false, headerTimeoutMs + SLACK_MS, TimeUnit.MILLISECONDS).get();
    figure("attacker.peakOpen=%d openAtStop=%d opened=%d closedByServer=%d connectFailures=%d drained=%s afterMs=%d",
      attacker.peak.get(), openAtStop, attacker.opened.get(), attacker.closedByServer.get(),
      attacker.connectFailures.get(), drained, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped));
    baseline.print();
    attack.print();

    assertThat(attacker.peak.get()).as("attacker connections open at once").isGreaterThanOrEqualTo(ATTACKER_PEAK_AT_LEAST);
    assertThat(drained).as("every attacker connection closed by the servers within the header time of the attack's end")
      .isTrue();
    assertThat(baseline.healthFailures.get() + attack.healthFailures.get()).as("/health probes unanswered").isZero();
    assertThat(attack.latencies.get("health-probe")).as("/health probed during the attack").isNotEmpty();
    for (String operation : attack.latencies.keySet()) {
      assertThat(attack.max(operation)).as(operation + " during the attack, ms").isLessThan(OPERATION_BOUND_MS);
    }
  }
}

package io.codelabs.bridge;

import io.codelabs.bus.Actor;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/** One authenticated connection, a browser's or a service's: who it is, what it receives, how fast it may send. */
final class Session {
  final Wire wire;
  final Actor actor;
  /** The verified token's claims: which session and subject it is, for revocation. */
  final JsonObject claims;
  final Set<String> addresses = new HashSet<>();
  /** Per codelab: whether this facilitator may receive its streams, asked once per socket. */
  final Map<String, Future<Boolean>> facilitates = new HashMap<>();
  /** Frames received and not handled yet; {@code handling} while one is in progress. Seldom more than one. */
  final Queue<AsyncResult<JsonObject>> pending = new ArrayDeque<>(2);
  boolean handling;
  long lastPingNanos;
  private final double ratePerSecond;
  private final double burst;
  private double allowance;
  private long refilledNanos;
  private boolean closed;

  Session(Wire wire, JsonObject claims, double ratePerSecond, double burst) {
    this.wire = wire;
    this.claims = claims;
    this.actor = Tokens.actorOf(claims);
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.allowance = burst;
    this.refilledNanos = System.nanoTime();
    this.lastPingNanos = refilledNanos;
  }

  /** False when the socket already has this many frames waiting. */
  boolean enqueue(AsyncResult<JsonObject> frame, int limit) {
    return pending.size() < limit && pending.add(frame);
  }

  /** Token bucket: false when this socket sends faster than its rate allows. */
  boolean admit() {
    long now = System.nanoTime();
    allowance = Math.min(burst, allowance + (now - refilledNanos) / 1e9 * ratePerSecond);
    refilledNanos = now;
    if (allowance < 1) {
      return false;
    }
    allowance -= 1;
    return true;
  }

  /**
   * A socket that cannot keep up is closed rather than buffered without bound; its client
   * reconnects and replays what it missed from the event log.
   */
  void deliver(Buffer frame) {
    if (closed) {
      return;
    }
    if (wire.writeQueueFull()) {
      close(4008, "too slow: reconnect and replay");
      return;
    }
    wire.write(frame);
  }

  void error(String body) {
    send(new JsonObject().put("type", "err").put("body", body));
  }

  void send(JsonObject frame) {
    if (!closed) {
      wire.send(frame);
    }
  }

  void close(int status, String reason) {
    if (!closed) {
      closed = true;
      wire.close(status, reason);
    }
  }

  boolean closed() {
    return closed;
  }
}

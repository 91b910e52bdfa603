package io.codelabs.tokens;

import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A node's copy of which sessions no longer count: revoked session ids until their tokens expire,
 * per-subject cut-offs (tokens issued before them are dead) and disabled accounts. It starts from
 * the writer's snapshot and follows the writer's {@link Address#SESSIONS_REVOKED} events, so a
 * token is checked without a bus round trip. Changes only ever merge, whatever order they arrive in.
 *
 * <p>The wire shape of a snapshot and of a change is the same: {@code sessions} (sessionId,
 * subject, issuedAt, expiresAt), {@code cutoffs} (subject, notBefore) and {@code accounts}
 * (subject, disabled, at); times in epoch milliseconds.
 */
public final class Revocations {
  private record Revoked(String sessionId, String subject, long issuedAt, long expiresAt) {
  }

  private record AccountState(boolean disabled, long at) {
  }

  private final int maxSessions;
  private final Map<String, Revoked> sessions = new HashMap<>();
  private final PriorityQueue<Revoked> byExpiry = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt, b.expiresAt));
  private final Map<String, Long> cutoffs = new HashMap<>();
  private final Map<String, AccountState> accounts = new HashMap<>();

  public Revocations(int maxSessions) {
    this.maxSessions = maxSessions;
  }

  /**
   * Follows the writer's revocation events on this verticle's context; {@code changed} runs after
   * each one is applied. Completes once the consumer is registered, before the snapshot is asked for.
   */
  public Future<Void> follow(Vertx vertx, Consumer<Revocations> changed) {
    return vertx.eventBus().<JsonObject>consumer(Address.SESSIONS_REVOKED.address, message -> {
      merge(message.body());
      changed.accept(this);
    }).completion();
  }

  /** Whether a token of this subject, session and issue time (epoch ms) must be refused. */
  public boolean refuses(String subject, String sessionId, long issuedAt) {
    AccountState account = accounts.get(subject);
    if (account != null && account.disabled) {
      return true;
    }
    Long notBefore = cutoffs.get(subject);
    return notBefore != null && issuedAt < notBefore || sessions.containsKey(sessionId);
  }

  /**
   * Whether an API key must be refused: revoked, or its account disabled. A password change leaves keys alone:
   * they are credentials of their own, revoked one by one.
   */
  public boolean refusesKey(String subject, String keyId) {
    AccountState account = accounts.get(subject);
    return account != null && account.disabled || sessions.containsKey(keyId);
  }

  public void merge(JsonObject change) {
    long now = System.currentTimeMillis();
    for (JsonObject cutoff : objects(change, "cutoffs")) {
      cutoffs.merge(cutoff.getString("subject"), cutoff.getLong("notBefore"), Math::max);
    }
    for (JsonObject account : objects(change, "accounts")) {
      AccountState state = new AccountState(account.getBoolean("disabled"), account.getLong("at"));
      accounts.merge(account.getString("subject"), state, (old, next) -> next.at >= old.at ? next : old);
    }
    for (JsonObject session : objects(change, "sessions")) {
      Revoked revoked = new Revoked(session.getString("sessionId"), session.getString("subject"),
        session.getLong("issuedAt"), session.getLong("expiresAt"));
      if (revoked.expiresAt > now && !sessions.containsKey(revoked.sessionId)) {
        sessions.put(revoked.sessionId, revoked);
        byExpiry.add(revoked);
      }
    }
    prune(now);
  }

  int revokedSessions() {
    return sessions.size();
  }

  /**
   * Expired entries go first. Past the bound, the entry expiring soonest becomes a cut-off for its
   * subject at its issue time: that session stays dead, at worst with older sessions of the same
   * subject. Refusing too much beats forgetting a revocation.
   */
  private void prune(long now) {
    while (!byExpiry.isEmpty() && (byExpiry.peek().expiresAt <= now || sessions.size() > maxSessions)) {
      Revoked oldest = byExpiry.poll();
      sessions.remove(oldest.sessionId);
      if (oldest.expiresAt > now) {
        cutoffs.merge(oldest.subject, oldest.issuedAt + 1, Math::max);
      }
    }
    cutoffs.values().removeIf(notBefore -> notBefore < now - Tokens.LONGEST_TTL_S * 1000L);
  }

  private static Iterable<JsonObject> objects(JsonObject change, String field) {
    JsonArray array = change.getJsonArray(field, new JsonArray());
    return () -> array.stream().map(JsonObject.class::cast).iterator();
  }
}

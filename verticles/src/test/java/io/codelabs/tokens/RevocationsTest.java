package io.codelabs.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("A node's revocation set")
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RevocationsTest {
  private static final long NOW = System.currentTimeMillis();
  private static final long HOUR = 3_600_000;

  @Test
  @DisplayName("past its bound the soonest-expiring session becomes a cut-off: it stays refused, newer sessions of its subject do not")
  void boundedWithoutForgetting() {
    Revocations revocations = new Revocations(2);
    revocations.merge(sessions(session("s1", "kim", NOW - 3 * HOUR, NOW + HOUR),
      session("s2", "lee", NOW - 2 * HOUR, NOW + 2 * HOUR), session("s3", "ann", NOW - HOUR, NOW + 3 * HOUR)));

    assertThat(revocations.revokedSessions()).isEqualTo(2);
    assertThat(revocations.refuses("kim", "s1", NOW - 3 * HOUR)).isTrue();
    assertThat(revocations.refuses("kim", "older", NOW - 4 * HOUR)).isTrue();
    assertThat(revocations.refuses("kim", "newer", NOW)).isFalse();
    assertThat(revocations.refuses("lee", "s2", NOW - 2 * HOUR)).isTrue();
    assertThat(revocations.refuses("ann", "s3", NOW - HOUR)).isTrue();
  }

  @Test
  @DisplayName("expired sessions are not kept: their tokens are refused for their expiry anyway")
  void expiredNotKept() {
    Revocations revocations = new Revocations(10);
    revocations.merge(sessions(session("old", "kim", NOW - 2 * HOUR, NOW - HOUR)));
    assertThat(revocations.revokedSessions()).isZero();
  }

  @Test
  @DisplayName("cut-offs only move forward, and the later of two account changes wins whatever their order")
  void mergesInAnyOrder() {
    Revocations revocations = new Revocations(10);
    revocations.merge(new JsonObject().put("cutoffs", new JsonArray().add(cutoff("kim", NOW))));
    revocations.merge(new JsonObject().put("cutoffs", new JsonArray().add(cutoff("kim", NOW - HOUR))));
    assertThat(revocations.refuses("kim", "s", NOW - 1)).isTrue();
    assertThat(revocations.refuses("kim", "s", NOW)).isFalse();

    revocations.merge(account("lee", false, NOW));
    revocations.merge(account("lee", true, NOW - HOUR));
    assertThat(revocations.refuses("lee", "s", NOW + 1)).as("enabled after it was disabled").isFalse();
    revocations.merge(account("lee", true, NOW + HOUR));
    assertThat(revocations.refuses("lee", "s", NOW + 2 * HOUR)).isTrue();
  }

  private static JsonObject sessions(JsonObject... sessions) {
    JsonArray array = new JsonArray();
    for (JsonObject session : sessions) {
      array.add(session);
    }
    return new JsonObject().put("sessions", array);
  }

  private static JsonObject session(String id, String subject, long issuedAt, long expiresAt) {
    return new JsonObject().put("sessionId", id).put("subject", subject).put("issuedAt", issuedAt)
      .put("expiresAt", expiresAt);
  }

  private static JsonObject cutoff(String subject, long notBefore) {
    return new JsonObject().put("subject", subject).put("notBefore", notBefore);
  }

  private static JsonObject account(String subject, boolean disabled, long at) {
    return new JsonObject().put("accounts", new JsonArray().add(new JsonObject()
      .put("subject", subject).put("disabled", disabled).put("at", at)));
  }
}

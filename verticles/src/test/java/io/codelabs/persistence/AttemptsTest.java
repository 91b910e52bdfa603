package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Failed-attempt counters")
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AttemptsTest {
  private static final long SECOND = 1000;
  private static final Attempts.Limit FIVE_PER_15_MIN = Attempts.Limit.of(5, 900 * SECOND);
  private static final Map<String, Attempts.Limit> ACCOUNT = Map.of("sign-in.account kim", FIVE_PER_15_MIN);

  private final Attempts attempts = new Attempts(30 * SECOND, 900 * SECOND, 1_000);

  @Test
  @DisplayName("the fifth failure locks the key for 30 s; each lockout after it doubles, up to the cap")
  void backOffGrows() {
    long now = 0;
    for (int i = 0; i < 4; i++) {
      assertThat(attempts.check(ACCOUNT, now).lockouts()).isEmpty();
    }
    Attempts.Verdict fifth = attempts.check(ACCOUNT, now);
    assertThat(fifth.allowed()).isTrue();
    assertThat(fifth.lockouts()).singleElement().satisfies(lockout -> {
      assertThat(lockout.scope()).isEqualTo("sign-in.account");
      assertThat(lockout.key()).isEqualTo("kim");
      assertThat(lockout.lockedMs()).isEqualTo(30 * SECOND);
    });
    assertThat(attempts.check(ACCOUNT, now + 29 * SECOND).retryAfterMs()).isEqualTo(SECOND);

    long expectedLock = 60 * SECOND;
    now += 30 * SECOND;
    for (int lockout = 2; lockout <= 7; lockout++) {
      Attempts.Verdict next = attempts.check(ACCOUNT, now);
      assertThat(next.allowed()).as("lockout %d over", lockout - 1).isTrue();
      assertThat(next.lockouts()).singleElement().extracting(Attempts.Lockout::lockedMs).isEqualTo(expectedLock);
      Attempts.Verdict locked = attempts.check(ACCOUNT, now + 1);
      assertThat(locked.allowed()).isFalse();
      assertThat(locked.retryAfterMs()).isEqualTo(expectedLock - 1);
      now += expectedLock;
      expectedLock = Math.min(2 * expectedLock, 900 * SECOND);
    }
  }

  @Test
  @DisplayName("a refused attempt is not counted, failures are forgotten over the window, a success forgets the account")
  void forgettingAndSuccess() {
    for (int i = 0; i < 4; i++) {
      attempts.check(ACCOUNT, 0);
    }
    assertThat(attempts.check(ACCOUNT, 180 * SECOND).lockouts()).as("one failure forgotten per 180 s").isEmpty();
    attempts.succeeded(ACCOUNT, Map.of(), 180 * SECOND);
    for (int i = 0; i < 4; i++) {
      assertThat(attempts.check(ACCOUNT, 181 * SECOND).lockouts()).isEmpty();
    }
  }

  @Test
  @DisplayName("a success takes the attempt back from a shared source key without forgetting the others")
  void sourceTakesBackOnlyTheSuccess() {
    Map<String, Attempts.Limit> source = Map.of("sign-in.source 10.0.0.1", Attempts.Limit.of(3, 900 * SECOND));
    attempts.check(source, 0);
    attempts.check(source, 0);
    attempts.succeeded(Map.of(), source, 0);
    assertThat(attempts.check(source, 0).lockouts()).isEmpty();
    assertThat(attempts.check(source, 0).lockouts()).hasSize(1);
  }

  @Test
  @DisplayName("the counters are bounded: the least recently used key goes first")
  void bounded() {
    Attempts small = new Attempts(30 * SECOND, 900 * SECOND, 3);
    for (int i = 0; i < 10; i++) {
      small.check(Map.of("rejoin.source 10.0.0." + i, FIVE_PER_15_MIN), 0);
    }
    assertThat(small.size()).isEqualTo(3);
  }
}

package io.codelabs.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.outbound.Signatures;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("One delivery attempt: checked at delivery time, redirects refused")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SenderTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private Sender sender(boolean allowPrivate) {
    return new Sender(vertx, new Sender.Limits(true, allowPrivate, 2_000, 1_000, 1_000));
  }

  @Test
  @DisplayName("an address that became internal after registration is refused before any connection")
  void internalRefusedAtDelivery() {
    Receiver receiver = Receiver.start(vertx);
    Sender.Outcome outcome = sender(false).send(receiver.url(), List.of(Signatures.newSecret()), "msg_1", "{}").await();
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.error()).contains("internal address");
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  @DisplayName("a redirect counts as a failure and is not followed; a body over the bound is not sent")
  void redirectsAndSizes() {
    Receiver redirecting = Receiver.start(vertx, 1, 302);
    Sender.Outcome redirected = sender(true).send(redirecting.url(), List.of(Signatures.newSecret()), "msg_2", "{}").await();
    assertThat(redirected.delivered()).isFalse();
    assertThat(redirected.responseCode()).isEqualTo(302);
    assertThat(redirected.error()).contains("Redirects are not followed");
    assertThat(redirecting.requests()).hasSize(1);
    Sender.Outcome tooLarge = sender(true).send(redirecting.url(), List.of(Signatures.newSecret()), "msg_3",
      "x".repeat(1_001)).await();
    assertThat(tooLarge.delivered()).isFalse();
    assertThat(tooLarge.error()).contains("larger than");
    assertThat(redirecting.requests()).hasSize(1);
  }
}

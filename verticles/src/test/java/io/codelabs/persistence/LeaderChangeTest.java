package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's router hands commands to the leader's router. When that leader goes silent (frozen, cut off), what it
 * holds would wait for the sender's timeout; the follower answers it 504 (outcome unknown) as soon as it takes another
 * node for the leader, so the sender resends it towards the new one at once.
 */
@DisplayName("A command a follower forwarded to the leader")
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeaderChangeTest {
  /** Far beyond what the test allows the answer to take once the leadership moved. */
  private static final DeliveryOptions SENDER_TIMEOUT = new DeliveryOptions().setSendTimeout(30_000);

  @TempDir
  Path dir;
  @RegisterExtension
  final CoreTrio.Fixture trios = new CoreTrio.Fixture();

  @Test
  @DisplayName("is answered 504 as soon as the follower takes another node for the leader, not at the sender's timeout")
  void answeredWhenTheLeaderChanges(VertxTestContext testContext) throws Exception {
    Checkpoint answeredSoonAfterTheMove = testContext.checkpoint();
    trios.start(dir).compose(trio -> {
      int follower = trio.followers().get(0);
      int next = trio.followers().get(1);
      Vertx node = trio.nodes.get(follower);
      Promise<Void> held = Promise.promise();
      // Stands in for the leader's router gone silent: it takes what the follower forwards and never answers.
      return node.eventBus().<JsonObject>consumer(Address.CORE_FORWARD.of("core" + trio.leader), message -> held.tryComplete())
        .completion()
        .compose(silent -> {
          Future<Throwable> answer = node.eventBus().request(Address.CODELAB_CREATE.address, new JsonObject(), SENDER_TIMEOUT)
            .transform(reply -> reply.succeeded()
              ? Future.failedFuture(new AssertionError("Answered " + reply.result().body()))
              : Future.succeededFuture(reply.cause()));
          long[] movedAt = new long[1];
          return held.future()
            .compose(forwarded -> trio.moveLeadership(next))
            .compose(moved -> {
              movedAt[0] = System.nanoTime();
              return answer;
            })
            .onSuccess(failure -> testContext.verify(() -> {
              assertThat(failure).isInstanceOf(ReplyException.class);
              assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.TIMEOUT.code);
              assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - movedAt[0]))
                .as("ms from the new leader leading to the answer").isLessThan(2_000);
              answeredSoonAfterTheMove.flag();
            }));
        });
    }).onFailure(testContext::failNow);
  }
}

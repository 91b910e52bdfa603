package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A replicated batch's outcomes as the log's reply")
class ReplicatedBatchTest {
  private static final List<BatchRunner.Outcome> OUTCOMES = List.of(
    new BatchRunner.Outcome(new JsonObject().put("seq", 7), List.of(new JsonObject().put("type", "attendee.joined")),
      List.of(), null),
    new BatchRunner.Outcome(null, List.of(), List.of(new JsonObject().put("facilitatorId", "f1")),
      ErrorCode.CONFLICT.failure("Nickname taken")));

  @Test
  @DisplayName("reach the writer in the same process as they were applied, without encoding")
  void sameProcess() {
    assertThat(ReplicatedBatch.outcomes(new ReplicatedBatch.Applied(OUTCOMES))).isSameAs(OUTCOMES);
  }

  @Test
  @DisplayName("reach a client elsewhere as bytes that decode to the same replies, events, revocations and failures")
  void elsewhere() {
    Message sent = Message.valueOf(new ReplicatedBatch.Applied(OUTCOMES).getContent());

    List<BatchRunner.Outcome> received = ReplicatedBatch.outcomes(sent);

    assertThat(received).hasSize(2);
    assertThat(received.get(0).reply()).isEqualTo(OUTCOMES.get(0).reply());
    assertThat(received.get(0).events()).isEqualTo(OUTCOMES.get(0).events());
    assertThat(received.get(0).failure()).isNull();
    assertThat(received.get(1).revocations()).isEqualTo(OUTCOMES.get(1).revocations());
    assertThat(received.get(1).failure()).isInstanceOfSatisfying(BusFailure.class, failure -> {
      assertThat(failure.code).isEqualTo(ErrorCode.CONFLICT);
      assertThat(failure.getMessage()).isEqualTo("Nickname taken");
    });
  }
}

package io.codelabs.bridge;

import static io.codelabs.BridgeClient.error;
import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pacing and help triage from sockets: who may send what, and who hears about it. */
@DisplayName("Pacing and help triage over the realtime bridge")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PacingBridgeTest extends NodeTestBase {
  private Sockets client;
  private String codelabId;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = BridgeClient.client(vertx);
    codelabId = codelab(admin);
  }

  private BridgeClient connect(String token, String... addresses) {
    return BridgeClient.listening(client, node.bridgePort, token, codelabId, addresses);
  }

  private BridgeClient facilitatorSocket() {
    return connect(admin, Address.PUBLIC_EVENTS.of(codelabId), Address.FACILITATOR_EVENTS.of(codelabId));
  }

  private BridgeClient attendeeSocket(JsonObject joined) {
    return connect(joined.getString("token"), Address.PUBLIC_EVENTS.of(codelabId),
      Address.INBOX_EVENTS.of(codelabId, joined.getJsonObject("attendee").getString("id")));
  }

  private JsonObject facilitatorSends(BridgeClient socket, Address address, JsonObject body) {
    JsonObject reply = socket.request(address.address, body.put("codelabId", codelabId)).await();
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
    return reply.getJsonObject("body");
  }

  @Test
  @DisplayName("attendees hear the hold and its release; progress past the hold fails with the step-held code")
  void holdAndRelease() {
    BridgeClient facilitator = facilitatorSocket();
    BridgeClient neo = attendeeSocket(http.join(codelabId, "neo", "code-neo"));
    facilitatorSends(facilitator, Address.PACING_HOLD, new JsonObject().put("step", 1));
    assertThat(neo.next(event("pacing.held")).await().getJsonObject("body").getJsonObject("data").getInteger("step"))
      .isEqualTo(1);

    JsonObject refused = neo.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 2)).await();
    assertThat(refused.getInteger("failureCode")).isEqualTo(ErrorCode.STEP_HELD.code);
    assertThat(neo.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 1)).await()
      .getJsonObject("body").getInteger("currentStep")).isEqualTo(1);

    facilitatorSends(facilitator, Address.PACING_RELEASE, new JsonObject());
    neo.next(event("pacing.released")).await();
    assertThat(neo.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 2)).await()
      .getJsonObject("body").getInteger("currentStep")).isEqualTo(2);

    facilitatorSends(facilitator, Address.PACING_SEND, new JsonObject().put("step", 0));
    assertThat(neo.next(event("pacing.sent-to-step")).await().getJsonObject("body").getJsonObject("data")
      .getInteger("step")).isEqualTo(0);
  }

  @Test
  @DisplayName("an attendee may not hold, poll or pin: the bridge denies facilitator commands to its socket")
  void attendeesMayNotPace() {
    BridgeClient neo = attendeeSocket(http.join(codelabId, "neo", "code-neo"));
    for (Address address : new Address[] {Address.PACING_HOLD, Address.PACING_RELEASE, Address.PACING_SEND,
      Address.POLL_START, Address.POLL_CLOSE, Address.KNOWN_ISSUE_SET, Address.HELP_ASSIGN}) {
      neo.write(new JsonObject().put("type", "send").put("address", address.address)
        .put("body", new JsonObject().put("codelabId", codelabId).put("step", 0)).put("replyAddress", "r-" + address));
      assertThat(neo.next(error("access_denied")).await()).as(address.address).isNotNull();
    }
  }

  @Test
  @DisplayName("a poll from a socket: attendees see it open and close, answer once and may change; only facilitators get each answer and the tally")
  void pulsePoll() {
    BridgeClient facilitator = facilitatorSocket();
    BridgeClient neo = attendeeSocket(http.join(codelabId, "neo", "code-neo"));
    String pollId = facilitatorSends(facilitator, Address.POLL_START, new JsonObject().put("step", 1))
      .getJsonObject("poll").getString("id");
    assertThat(neo.next(event("poll.started")).await().getJsonObject("body").getJsonObject("data")
      .getJsonObject("poll").getString("id")).isEqualTo(pollId);

    JsonObject answered = neo.request(Address.POLL_ANSWER.address, new JsonObject().put("pollId", pollId)
      .put("answer", "not-yet")).await().getJsonObject("body");
    assertThat(answered.getString("answer")).isEqualTo("not-yet");
    JsonObject told = facilitator.next(event("poll.answered")).await().getJsonObject("body").getJsonObject("data");
    assertThat(told.getString("nickname")).isEqualTo("neo");
    assertThat(told.getJsonObject("tally")).isEqualTo(new JsonObject().put("yes", 0).put("notYet", 1));
    neo.request(Address.POLL_ANSWER.address, new JsonObject().put("pollId", pollId).put("answer", "yes")).await();
    assertThat(facilitator.next(event("poll.answered")).await().getJsonObject("body").getJsonObject("data")
      .getJsonObject("tally")).isEqualTo(new JsonObject().put("yes", 1).put("notYet", 0));
    assertThat(neo.request(Address.POLL_ANSWER.address, new JsonObject().put("pollId", pollId).put("answer", "perhaps"))
      .await().getInteger("failureCode")).isEqualTo(ErrorCode.INVALID.code);

    facilitatorSends(facilitator, Address.POLL_CLOSE, new JsonObject().put("pollId", pollId));
    JsonObject closed = neo.next(event("poll.closed")).await().getJsonObject("body").getJsonObject("data");
    assertThat(closed.getJsonObject("poll").getJsonObject("tally").getInteger("yes")).isEqualTo(1);
    assertThat(neo.request(Address.POLL_ANSWER.address, new JsonObject().put("pollId", pollId).put("answer", "not-yet"))
      .await().getInteger("failureCode")).isEqualTo(ErrorCode.CONFLICT.code);
    assertThat(neo.unmatched()).as("an attendee never hears another's answer")
      .noneMatch(frame -> event("poll.answered").test(frame));
  }

  @Test
  @DisplayName("a known issue reaches every attendee live; a cancelled help request reaches the facilitators")
  void knownIssueAndHelpCancel() {
    BridgeClient facilitator = facilitatorSocket();
    BridgeClient neo = attendeeSocket(http.join(codelabId, "neo", "code-neo"));
    facilitatorSends(facilitator, Address.KNOWN_ISSUE_SET, new JsonObject().put("step", 1)
      .put("text", "Use the offline mirror"));
    JsonObject note = neo.next(event("issue.pinned")).await().getJsonObject("body").getJsonObject("data");
    assertThat(note).isEqualTo(new JsonObject().put("step", 1).put("text", "Use the offline mirror"));
    facilitatorSends(facilitator, Address.KNOWN_ISSUE_SET, new JsonObject().put("step", 1).put("text", ""));
    assertThat(neo.next(event("issue.unpinned")).await().getJsonObject("body").getJsonObject("data")
      .getInteger("step")).isEqualTo(1);

    String helpId = neo.request(Address.HELP_REQUEST.address, new JsonObject().put("message", "Gradle sync"))
      .await().getJsonObject("body").getJsonObject("help").getString("id");
    JsonObject cancelled = neo.request(Address.HELP_CANCEL.address, new JsonObject().put("helpId", helpId)).await()
      .getJsonObject("body");
    assertThat(cancelled.getJsonObject("help").getString("status")).isEqualTo("cancelled");
    JsonObject heard = facilitator.next(event("help.cancelled")).await().getJsonObject("body").getJsonObject("data");
    assertThat(heard.getJsonObject("help").getString("id")).isEqualTo(helpId);
    assertThat(neo.next(event("help.cancelled")).await()).isNotNull();
  }
}

package io.codelabs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.webhooks.Receiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer, a standby and an edge node as processes, each running the webhooks verticle: kill -9 of
 * the node that delivers, mid-stream; another takes the seat and resumes after the last acknowledged
 * seq. Prints its figures on lines starting with CLUSTER-FIGURE.
 */
@DisplayName("Webhook delivery across the loss of the delivering node")
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WebhookTakeoverIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final int EVENTS = 300;
  /**
   * Until the kill: slow enough that the stream outlasts posting the events (about 4 s in CI), so the kill comes
   * mid-stream.
   */
  private static final long ANSWER_BEFORE_KILL_MS = 60;
  private static final long ANSWER_AFTER_KILL_MS = 5;
  private static final String DELIVERS = "This node delivers webhooks";
  private static final String[] NODE_OPTIONS = {"--bus-timeout", "2000", "--webhooks-allow-http", "--webhooks-allow-private",
    "--webhooks-retry-base", "200", "--webhooks-retry-max", "1000", "--webhooks-poll", "200"};

  @TempDir
  Path work;

  private Vertx vertx;
  private LoopbackCluster cluster;

  @BeforeEach
  void keepVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("kill -9 of the delivering node mid-stream: every event reaches the receiver at least once,"
    + " in seq order after dropping repeated ids")
  void deliveringNodeKilled() throws Exception {
    cluster = LoopbackCluster.create(work, 3);
    NodeProcess writer = cluster.start("writer", "persistence", NODE_OPTIONS);
    writer.await(NodeProcess.WRITER, START);
    NodeProcess standby = cluster.start("standby", "persistence", NODE_OPTIONS);
    NodeProcess edge = cluster.start("edge", "api,bridge", NODE_OPTIONS);
    List<NodeProcess> nodes = List.of(writer, standby, edge);
    for (NodeProcess node : nodes) {
      node.await(NodeProcess.READY, START);
    }
    Receiver receiver = Receiver.start(vertx, 0, 500, ANSWER_BEFORE_KILL_MS);
    Http http = new Http(vertx, edge.httpPort());
    String admin = http.login("admin", writer.await(NodeProcess.PASSWORD, START).group(1));
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Hooks").put("steps", new JsonArray()));
    Http.Response registered = http.post("/api/webhooks", admin, new JsonObject().put("url", receiver.url())
      .put("codelabId", codelabId).put("eventTypes", new JsonArray().add("announcement.posted")));
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      Http.Response posted = http.post("/api/codelabs/" + codelabId + "/announcements", admin,
        new JsonObject().put("text", "Note " + i));
      assertThat(posted.status()).as(posted.text()).isEqualTo(201);
      seqs.add(posted.json().getLong("seq"));
    }
    receiver.untilAccepted(EVENTS / 3, 120);
    NodeProcess delivering = deliveringNode(nodes);
    List<Receiver.Request> answeredBefore = receiver.requests();
    assertThat(answeredBefore.stream().filter(Receiver.Request::accepted).count()).as("accepted before the kill")
      .isLessThan(EVENTS);
    receiver.answerAfter(ANSWER_AFTER_KILL_MS);
    long killed = System.nanoTime();
    delivering.kill();

    List<Receiver.Request> requests = receiver.until(seen -> seen.stream().filter(Receiver.Request::accepted)
      .map(Receiver.Request::seq).distinct().count() >= EVENTS, 180);

    List<Receiver.Request> accepted = requests.stream().filter(Receiver.Request::accepted).toList();
    List<Long> received = accepted.stream().map(Receiver.Request::seq).toList();
    assertThat(received.stream().distinct().toList()).as("first arrivals, as a receiver that drops repeated ids sees them")
      .isEqualTo(seqs);
    List<Receiver.Request> replays = stepsBack(accepted);
    replays.forEach(replay -> assertThat(replay.receivedNanos())
      .as("a replay of what was sent but not yet committed, only after the kill").isGreaterThan(killed));
    // The killed node's last request may still arrive just after the kill, on a connection it opened before.
    long resumedAt = requests.stream().filter(request -> request.connectionSeenNanos() > killed)
      .mapToLong(Receiver.Request::receivedNanos).min().orElseThrow();
    figure("killed node", delivering.name);
    figure("deliveries answered before the kill", answeredBefore.size());
    figure("kill -9 to the first delivery on a new connection, ms", TimeUnit.NANOSECONDS.toMillis(resumedAt - killed));
    figure("duplicates received", received.size() - EVENTS);
    figure("replays (a lower seq than the one before)", replays.size());
    receiver.close();
  }

  /** The deliveries that came with a lower seq than the one accepted just before them. */
  private static List<Receiver.Request> stepsBack(List<Receiver.Request> accepted) {
    List<Receiver.Request> steps = new ArrayList<>();
    for (int i = 1; i < accepted.size(); i++) {
      if (accepted.get(i).seq() < accepted.get(i - 1).seq()) {
        steps.add(accepted.get(i));
      }
    }
    return steps;
  }

  /** The node whose log says it took the webhooks seat. */
  private NodeProcess deliveringNode(List<NodeProcess> nodes) throws Exception {
    for (NodeProcess node : nodes) {
      if (Files.readString(work.resolve(node.name + ".log")).contains(DELIVERS)) {
        return node;
      }
    }
    throw new AssertionError("No node logged: " + DELIVERS);
  }

  private static void figure(String name, Object value) {
    System.out.printf(Locale.ROOT, "CLUSTER-FIGURE webhook-takeover | %s | %s%n", name, value);
  }
}

package io.codelabs.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.codelabs.metrics.MetricsEndpoint;
import io.codelabs.metrics.PrometheusText;
import io.codelabs.outbound.WebhookConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Webhooks: signed deliveries in seq order, retried with back-off, disabled after the window, redelivered")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebhookDeliveryTest extends NodeTestBase {
  static final long RETRY_BASE_MS = 100;
  static final long RETRY_MAX_MS = 400;
  static final long RETRY_WINDOW_MS = 3_000;

  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir, shortRetries());
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  /** Local receivers over plain http, and a retry schedule of seconds instead of a day. */
  static JsonObject shortRetries() {
    return new JsonObject()
      .put(WebhookConfig.ALLOW_HTTP, true)
      .put(WebhookConfig.ALLOW_PRIVATE_TARGETS, true)
      .put(WebhookConfig.RETRY_BASE_MS, RETRY_BASE_MS)
      .put(WebhookConfig.RETRY_MAX_MS, RETRY_MAX_MS)
      .put(WebhookConfig.RETRY_WINDOW_MS, RETRY_WINDOW_MS)
      .put(WebhookConfig.POLL_MS, 200);
  }

  static JsonObject register(Http http, String token, String codelabId, String url, String... types) {
    Http.Response created = http.post("/api/webhooks", token, new JsonObject().put("url", url)
      .put("codelabId", codelabId).put("description", "Test receiver").put("eventTypes", new JsonArray(List.of(types))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json();
  }

  static long announce(Http http, String token, String codelabId, String text) {
    Http.Response posted = http.post("/api/codelabs/" + codelabId + "/announcements", token,
      new JsonObject().put("text", text));
    assertThat(posted.status()).as(posted.text()).isEqualTo(201);
    return posted.json().getLong("seq");
  }

  /**
   * The delivery log once it satisfies the condition, read again each time the writer answers a record command: an
   * attempt is logged while the next one goes out, so the log may trail the receiver by a commit.
   */
  static JsonArray logOnce(RecordWatch watch, JsonObject webhook, Predicate<JsonArray> condition)
    throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonArray rows = http.get("/api/webhooks/" + webhook.getString("id") + "/deliveries?limit=500", admin).json()
        .getJsonArray("deliveries");
      if (condition.test(rows)) {
        return rows;
      }
      assertThat(watch.nextAnswer(deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
        .as("delivery log within 10 s: %s", rows).isTrue();
    }
  }

  @Test
  @DisplayName("a receiver failing the first 3 requests gets every event once accepted, in seq order, after back-off")
  void retriesKeepSeqOrder() throws Exception {
    RecordWatch watch = RecordWatch.of(node.vertx);
    Receiver receiver = Receiver.start(node.vertx, 3, 500);
    String codelabId = codelab(admin);
    PrometheusText before = scrape();
    JsonObject webhook = register(http, admin, codelabId, receiver.url(), "announcement.posted");
    http.post("/api/codelabs/" + codelabId + "/chat", admin, new JsonObject().put("text", "not wanted"));
    List<Long> seqs = IntStream.range(0, 8).mapToObj(i -> announce(http, admin, codelabId, "Note " + i)).toList();

    List<Receiver.Request> requests = receiver.untilAccepted(seqs.size(), 30);

    List<Receiver.Request> accepted = requests.stream().filter(Receiver.Request::accepted).toList();
    assertThat(accepted).extracting(Receiver.Request::seq).containsExactlyElementsOf(seqs);
    assertThat(requests).extracting(Receiver.Request::type).containsOnly("announcement.posted");
    List<Receiver.Request> first = requests.subList(0, 4);
    assertThat(first).extracting(Receiver.Request::id).containsOnly(first.get(0).id());
    assertThat(first).extracting(Receiver.Request::accepted).containsExactly(false, false, false, true);
    for (int attempt = 1; attempt <= 3; attempt++) {
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(first.get(attempt).receivedNanos() - first.get(attempt - 1).receivedNanos());
      assertThat(waitedMs).as("wait before attempt %d", attempt + 1)
        .isGreaterThanOrEqualTo(Math.min(RETRY_MAX_MS, RETRY_BASE_MS << (attempt - 1)) / 2);
    }
    JsonArray log = logOnce(watch, webhook, rows -> rows.size() >= seqs.size() + 3);
    List<JsonObject> firstEvent = log.stream().map(JsonObject.class::cast)
      .filter(row -> row.getLong("seq").equals(seqs.get(0))).toList();
    assertThat(firstEvent).extracting(row -> row.getString("status"), row -> row.getInteger("attempt"),
        row -> row.getInteger("responseCode"))
      .containsExactly(org.assertj.core.groups.Tuple.tuple("delivered", 4, 204),
        org.assertj.core.groups.Tuple.tuple("failed", 3, 500), org.assertj.core.groups.Tuple.tuple("failed", 2, 500),
        org.assertj.core.groups.Tuple.tuple("failed", 1, 500));
    assertThat(firstEvent.get(0).getLong("latencyMs")).isNotNull();
    PrometheusText after = scrape();
    assertThat(delta(before, after, "delivered")).as("deliveries counted").isGreaterThanOrEqualTo(seqs.size());
    assertThat(delta(before, after, "failed")).as("failed requests counted").isGreaterThanOrEqualTo(3);
    receiver.close();
    watch.close();
  }

  private static PrometheusText scrape() {
    Http metrics = new Http(node.vertx, node.metricsPort);
    try {
      return PrometheusText.parse(metrics.get(MetricsEndpoint.PATH, null).text());
    } finally {
      metrics.close();
    }
  }

  private static double delta(PrometheusText before, PrometheusText after, String outcome) {
    String counter = "codelabs_webhook_deliveries_total";
    return after.value(counter, "outcome", outcome).orElse(0) - before.value(counter, "outcome", outcome).orElse(0);
  }

  @Test
  @DisplayName("an endpoint failing for the whole retry window is disabled and its owner told on the facilitators stream")
  void disabledAfterTheWindow() throws Exception {
    Receiver receiver = Receiver.start(node.vertx, Integer.MAX_VALUE, 503);
    String codelabId = codelab(admin);
    JsonObject webhook = register(http, admin, codelabId, receiver.url());
    Sockets sockets = BridgeClient.client(node.vertx);
    BridgeClient owner = BridgeClient.listening(sockets, node.bridgePort, admin, codelabId,
      Address.FACILITATOR_EVENTS.of(codelabId));
    long started = System.nanoTime();
    announce(http, admin, codelabId, "Nobody hears this");

    JsonObject told = owner.next(BridgeClient.event("webhook.disabled")).await().getJsonObject("body");

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(RETRY_WINDOW_MS);
    assertThat(told.getJsonObject("data").getString("webhookId")).isEqualTo(webhook.getString("id"));
    assertThat(told.getJsonObject("data").getString("reason")).contains("HTTP 503");
    JsonObject listed = http.get("/api/webhooks?codelabId=" + codelabId, admin).json().getJsonArray("webhooks")
      .getJsonObject(0);
    assertThat(listed.getBoolean("enabled")).isFalse();
    assertThat(listed.getString("disabledReason")).contains("HTTP 503");
    int attempts = receiver.requests().size();
    assertThat(attempts).isGreaterThanOrEqualTo(3);
    assertThat(receiver.requests()).extracting(Receiver.Request::id).containsOnly(receiver.requests().get(0).id());
    owner.close().await();
    receiver.close();
  }

  @Test
  @DisplayName("a logged delivery is sent again with the same webhook-id and the attempt is logged as a redelivery")
  void redelivery() throws Exception {
    RecordWatch watch = RecordWatch.of(node.vertx);
    Receiver receiver = Receiver.start(node.vertx);
    String codelabId = codelab(admin);
    JsonObject webhook = register(http, admin, codelabId, receiver.url(), "announcement.posted");
    announce(http, admin, codelabId, "Once more");
    Receiver.Request delivered = receiver.untilAccepted(1, 20).get(0);
    String deliveries = "/api/webhooks/" + webhook.getString("id") + "/deliveries";
    long deliveryId = logOnce(watch, webhook, rows -> !rows.isEmpty()).getJsonObject(0).getLong("id");

    Http.Response again = http.post(deliveries + "/" + deliveryId + "/redeliver", admin, null);

    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.json().getBoolean("delivered")).isTrue();
    List<Receiver.Request> requests = receiver.untilAccepted(2, 10);
    assertThat(requests).extracting(Receiver.Request::id).containsExactly(delivered.id(), delivered.id());
    assertThat(requests.get(1).body()).isEqualTo(delivered.body());
    JsonObject newest = http.get(deliveries, admin).json().getJsonArray("deliveries").getJsonObject(0);
    assertThat(newest.getBoolean("redelivery")).isTrue();
    assertThat(newest.getString("status")).isEqualTo("delivered");
    String stranger = newFacilitator(unique("hook"));
    assertThat(http.post(deliveries + "/" + deliveryId + "/redeliver", stranger, null).status()).isEqualTo(404);
    receiver.close();
    watch.close();
  }

  @Test
  @DisplayName("the attempts piled up while one record command is written go to the writer as one command, in order")
  void burstLoggedInOneCommand() throws Exception {
    RecordWatch watch = RecordWatch.of(node.vertx);
    Receiver receiver = Receiver.start(node.vertx);
    String codelabId = codelab(admin);
    JsonObject webhook = register(http, admin, codelabId, receiver.url());
    String endpoint = "/api/webhooks/" + webhook.getString("id");
    assertThat(http.patch(endpoint, admin, new JsonObject().put("enabled", false)).status()).isEqualTo(200);
    List<Long> seqs = IntStream.range(0, 10).mapToObj(i -> announce(http, admin, codelabId, "Burst " + i)).toList();
    watch.holdNext();
    assertThat(http.patch(endpoint, admin, new JsonObject().put("enabled", true)).status()).isEqualTo(200);

    assertThat(receiver.untilAccepted(seqs.size(), 20)).extracting(Receiver.Request::seq).containsExactlyElementsOf(seqs);
    watch.release();
    JsonArray log = logOnce(watch, webhook, rows -> rows.size() == seqs.size());

    // The receiver counts the last delivery before the endpoint has read its answer: that attempt alone may be made
    // after the release, and then goes in a command of its own.
    assertThat(watch.commandsFor(webhook.getString("id"))).extracting(command -> command.getJsonArray("records").size())
      .as("the held command, then every attempt made meanwhile")
      .isIn(List.of(1, seqs.size() - 1), List.of(1, seqs.size() - 2, 1));
    List<Long> newestFirst = IntStream.range(0, seqs.size()).mapToObj(i -> seqs.get(seqs.size() - 1 - i)).toList();
    assertThat(log.stream().map(JsonObject.class::cast).map(row -> row.getLong("seq")).toList()).as("newest first")
      .containsExactlyElementsOf(newestFirst);
    assertThat(log.stream().map(JsonObject.class::cast).map(row -> row.getString("status"))).containsOnly("delivered");
    receiver.close();
    watch.close();
  }

  @Test
  @DisplayName("unknown event types are refused; someone else's endpoint reads as missing")
  void unknownTypesRefused() {
    String codelabId = codelab(admin);
    Http.Response refused = http.post("/api/webhooks", admin, new JsonObject().put("url", "http://127.0.0.1:9/")
      .put("codelabId", codelabId).put("eventTypes", new JsonArray().add("help.requested").add("nope.happened")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("nope.happened");
    JsonObject webhook = register(http, admin, codelabId, "http://127.0.0.1:9/", "help.requested");
    String stranger = newFacilitator(unique("peer"));
    assertThat(http.patch("/api/webhooks/" + webhook.getString("id"), stranger, new JsonObject().put("enabled", false))
      .status()).isEqualTo(404);
    assertThat(http.delete("/api/webhooks/" + webhook.getString("id"), admin).status()).isEqualTo(204);
  }
}

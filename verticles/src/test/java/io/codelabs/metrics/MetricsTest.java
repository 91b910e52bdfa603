package io.codelabs.metrics;

import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.codelabs.uploads.UploadClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real node's /metrics after real joins, sockets, progress and an upload: scraped, parsed, and checked. */
@DisplayName("Prometheus metrics")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
  private static final Path DASHBOARD = Path.of("..", "cluster-config", "grafana-dashboard.json");

  @TempDir
  Path dataDir;
  private Node node;
  private Http http;
  private Http scraper;
  private String admin;
  private Sockets client;
  private final List<BridgeClient> sockets = new ArrayList<>();

  /** What the activity touched, to look for in label values. */
  private record Workshop(String codelabId, List<String> attendeeIds) {
  }

  @BeforeEach
  void startNode(Vertx vertx) {
    node = TestNode.start(dataDir);
    http = new Http(node.vertx, node.httpPort);
    scraper = new Http(node.vertx, node.metricsPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    client = BridgeClient.client(vertx);
  }

  @AfterEach
  void stopNode() {
    sockets.forEach(BridgeClient::close);
    http.close();
    scraper.close();
    node.stop().await();
  }

  /**
   * The GC pause timer appears at the first collection after the node started, which a short test may not reach.
   * Returns once a collection was announced: the node's own listener, registered before this one, has seen it.
   */
  private static void collectGarbage() throws Exception {
    CountDownLatch collected = new CountDownLatch(1);
    NotificationListener listener = (notification, handback) -> collected.countDown();
    List<NotificationEmitter> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
      .filter(NotificationEmitter.class::isInstance).map(NotificationEmitter.class::cast).toList();
    collectors.forEach(collector -> collector.addNotificationListener(listener, notification ->
      notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION), null));
    try {
      System.gc();
      assertThat(collected.await(30, TimeUnit.SECONDS)).as("a garbage collection was announced").isTrue();
    } finally {
      for (NotificationEmitter collector : collectors) {
        collector.removeNotificationListener(listener);
      }
    }
  }

  private PrometheusText scrape() {
    Http.Response response = scraper.get(MetricsEndpoint.PATH, null);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    return PrometheusText.parse(response.text());
  }

  private BridgeClient listening(String token, String codelabId, String address) {
    BridgeClient socket = BridgeClient.listening(client, node.bridgePort, token, codelabId, address);
    sockets.add(socket);
    return socket;
  }

  /** Two attendees join and open sockets, a facilitator watches, one attendee reports progress and uploads a file. */
  private Workshop workshop() {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Metrics lab").put("steps",
      new JsonArray().add(new JsonObject().put("title", "One").put("markdown", "Go.").put("durationMinutes", 5))
        .add(new JsonObject().put("title", "Two").put("markdown", "On.").put("durationMinutes", 5))));
    JsonObject neo = http.join(codelabId, "neo", "code-neo");
    JsonObject trinity = http.join(codelabId, "trinity", "code-trinity");
    BridgeClient facilitator = listening(admin, codelabId, Address.FACILITATOR_EVENTS.of(codelabId));
    BridgeClient neoSocket = listening(neo.getString("token"), codelabId, Address.PUBLIC_EVENTS.of(codelabId));
    listening(trinity.getString("token"), codelabId, Address.PUBLIC_EVENTS.of(codelabId));

    neoSocket.request(Address.PROGRESS_REPORT.address, new JsonObject().put("step", 1)).await();
    facilitator.next(event("attendee.step-changed")).await();
    Http.Response uploaded = new UploadClient(node.vertx, node.httpPort).upload("/api/codelabs/" + codelabId
      + "/submissions/files", neo.getString("token"), "Main.java", "class Main {}".getBytes(StandardCharsets.UTF_8));
    assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
    return new Workshop(codelabId, List.of(neo.getJsonObject("attendee").getString("id"),
      trinity.getJsonObject("attendee").getString("id")));
  }

  @Test
  @DisplayName("the node's own meters move with real activity")
  void metersMoveWithActivity() {
    PrometheusText before = scrape();
    workshop();
    PrometheusText after = scrape();

    assertThat(after.valueOrZero("codelabs_attendees_online")).isEqualTo(2);
    assertThat(after.valueOrZero("codelabs_sockets_online", "transport", "sockjs")).isEqualTo(3);
    assertThat(after.valueOrZero("codelabs_sockets_online", "transport", "tcp")).isZero();
    for (String counter : List.of("codelabs_writer_commands_total", "codelabs_events_published_total",
      "codelabs_writer_commit_seconds_count", "codelabs_writer_batch_size_count", "codelabs_fanout_seconds_count",
      "codelabs_replay_requests_total")) {
      assertThat(after.valueOrZero(counter)).as(counter).isGreaterThan(before.valueOrZero(counter));
    }
    assertThat(after.valueOrZero("codelabs_events_delivered_total", "transport", "sockjs"))
      .isGreaterThan(before.valueOrZero("codelabs_events_delivered_total", "transport", "sockjs"));
    assertThat(after.valueOrZero("codelabs_upload_scans_total", "outcome", "unscanned"))
      .isEqualTo(before.valueOrZero("codelabs_upload_scans_total", "outcome", "unscanned") + 1);
    assertThat(after.valueOrZero("codelabs_bus_request_seconds_count", "address", Address.PROGRESS_REPORT.address,
      "outcome", "ok")).isEqualTo(1);
    assertThat(after.type("codelabs_fanout_seconds")).isEqualTo("histogram");
    assertThat(after.valueOrZero("codelabs_fanout_seconds_bucket", "le", "+Inf"))
      .isEqualTo(after.valueOrZero("codelabs_fanout_seconds_count"));
    assertThat(after.samples()).as("Vert.x's own HTTP server meters")
      .anyMatch(sample -> sample.name().equals("vertx_http_server_requests_total"));
  }

  @Test
  @DisplayName("no label value names a codelab, an attendee or a raw request path")
  void labelsStayBounded() {
    Workshop workshop = workshop();
    PrometheusText metrics = scrape();

    Set<String> values = metrics.samples().stream().flatMap(sample -> sample.labels().values().stream())
      .collect(Collectors.toCollection(TreeSet::new));
    assertThat(values).isNotEmpty();
    List<String> ids = new ArrayList<>(workshop.attendeeIds());
    ids.add(workshop.codelabId());
    for (String id : ids) {
      assertThat(values).noneMatch(value -> value.contains(id));
    }
    assertThat(values).noneMatch(value -> value.contains("/api/codelabs/" + workshop.codelabId()));
    assertThat(metrics.samples().stream().map(sample -> sample.labels().keySet()).flatMap(Set::stream))
      .doesNotContain("path", "remote", "local", "method");
  }

  @Test
  @DisplayName("the public HTTP and realtime ports never serve the metrics")
  void publicPortsDoNotServeMetrics() {
    workshop();
    for (int port : List.of(node.httpPort, node.bridgePort)) {
      Http publicPort = new Http(node.vertx, port);
      Http.Response response = publicPort.get(MetricsEndpoint.PATH, admin);
      publicPort.close();
      assertThat(response.text()).as("port " + port).doesNotContain("codelabs_writer_commands_total");
    }
    assertThat(scraper.send(HttpMethod.POST, MetricsEndpoint.PATH, null, new JsonObject(),
      MultiMap.caseInsensitiveMultiMap()).status()).isEqualTo(405);
    assertThat(scraper.get("/other", null).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("with a metrics token, a scrape without it or with another is refused")
  void tokenGuardsTheScrape(@TempDir Path otherDir) {
    Node guarded = TestNode.start(otherDir, new JsonObject().put(MetricsEndpoint.TOKEN, "scrape-secret"));
    Http guardedScraper = new Http(guarded.vertx, guarded.metricsPort);
    try {
      Http.Response anonymous = guardedScraper.get(MetricsEndpoint.PATH, null);
      Http.Response wrong = guardedScraper.get(MetricsEndpoint.PATH, "scrape-secret-not");
      Http.Response right = guardedScraper.get(MetricsEndpoint.PATH, "scrape-secret");
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.text()).isNullOrEmpty();
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(right.status()).isEqualTo(200);
      assertThat(PrometheusText.parse(right.text()).value("codelabs_writer_commands_total")).isPresent();
    } finally {
      guardedScraper.close();
      guarded.stop().await();
    }
  }

  @Test
  @DisplayName("rate-limit rejections are counted for HTTP sign-ins and bridge frames")
  void rateLimitRejectionsCounted() {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Busy lab").put("steps",
      new JsonArray().add(new JsonObject().put("title", "One").put("markdown", "Go.").put("durationMinutes", 5))));
    int limited = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
      Http.Response refused = http.post("/api/auth/login", null, new JsonObject().put("username", "admin")
        .put("password", "not the password"));
      limited += refused.status() == 429 ? 1 : 0;
    }
    JsonObject neo = http.join(codelabId, "neo", "code-neo");
    BridgeClient socket = listening(neo.getString("token"), codelabId, Address.PUBLIC_EVENTS.of(codelabId));
    for (int frame = 0; frame < 60; frame++) {
      socket.write(new JsonObject().put("type", "send").put("address", "no.such.address")
        .put("body", new JsonObject()));
    }
    socket.next(BridgeClient.error("rate_limited")).await();

    PrometheusText metrics = scrape();
    assertThat(limited).isPositive();
    assertThat(metrics.valueOrZero("codelabs_rate_limit_rejections_total", "server", "http")).isEqualTo(limited);
    assertThat(metrics.valueOrZero("codelabs_rate_limit_rejections_total", "server", "bridge")).isPositive();
  }

  @Test
  @DisplayName("every metric the Grafana dashboard queries is one the node exposes")
  void dashboardQueriesExposedMetrics() throws Exception {
    workshop();
    collectGarbage();
    PrometheusText metrics = scrape();
    Set<String> exposed = metrics.samples().stream().map(PrometheusText.Sample::name).collect(Collectors.toSet());
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));

    Set<String> queried = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b((?:codelabs|vertx|jvm|process|system)_[a-zA-Z0-9_]+)");
    JsonArray panels = dashboard.getJsonArray("panels");
    for (Object panel : panels) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      for (Object target : targets) {
        Matcher names = metric.matcher(((JsonObject) target).getString("expr"));
        while (names.find()) {
          queried.add(names.group(1));
        }
      }
      if (!targets.isEmpty()) {
        assertThat(((JsonObject) panel).getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}");
      }
    }
    assertThat(queried).contains("codelabs_attendees_online", "codelabs_sockets_online",
      "codelabs_fanout_seconds_bucket", "codelabs_writer_commands_total", "codelabs_writer_queue_depth",
      "codelabs_bus_request_seconds_bucket");
    assertThat(exposed).containsAll(queried);
    assertThat(dashboard.getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast)
      .filter(variable -> variable.getString("name").equals("datasource")).findFirst().orElseThrow()
      .getString("type")).isEqualTo("datasource");
  }
}

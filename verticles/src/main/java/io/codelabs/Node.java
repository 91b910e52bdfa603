package io.codelabs;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.bus.BusClient;
import io.codelabs.metrics.Meters;
import io.codelabs.metrics.MetricsEndpoint;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.uploads.UploadVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.codelabs.webhooks.WebhookVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VertxBuilder;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running node: its Vert.x instance, its verticles and what it printed on first start. */
public final class Node {
  public static final String FIRST_FACILITATOR = "admin";

  public final Vertx vertx;
  public final int httpPort;
  public final int bridgePort;
  /** The TCP event-bus bridge's port; -1 when this node has none. */
  public final int tcpBridgePort;
  /** The port Prometheus scrapes this node on; -1 when the node runs without metrics. */
  public final int metricsPort;
  /** The first facilitator's password when this start created it, else null. */
  public final String createdPassword;
  /** The persistence role's place in the writer election; null on a node without that role. */
  public final WriterSeat seat;
  /** The writer term this node took at start; 0 when it started as a standby or without the role. */
  public final long startTerm;
  /** How this node's sockets are served: "epoll" (Netty's native transport) or "nio". */
  public final String transport;

  private Node(Vertx vertx, int httpPort, BridgeVerticle bridge, int metricsPort, WriterSeat seat,
               WriterSeat.Takeover takeover) {
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.bridgePort = bridge == null ? -1 : bridge.actualPort();
    this.tcpBridgePort = bridge == null ? -1 : bridge.tcpPort();
    this.metricsPort = metricsPort;
    this.seat = seat;
    this.createdPassword = takeover == null ? null : takeover.createdPassword();
    this.startTerm = takeover == null ? 0 : takeover.term();
    this.transport = vertx.isNativeTransportEnabled() ? Transport.nativeTransport().name() : Transport.NIO.name();
  }

  public static Future<Node> start(NodeConfig config) {
    JsonObject json = config.json();
    PrometheusMeterRegistry registry = json.getInteger(MetricsEndpoint.PORT) < 0
      ? null
      : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return vertx(config, registry).compose(vertx -> {
      if (registry != null) {
        Meters.install(vertx, registry);
      }
      Future<Integer> metricsPort = registry == null
        ? Future.succeededFuture(-1)
        : MetricsEndpoint.listen(vertx, registry, json.getString(MetricsEndpoint.HOST),
          json.getInteger(MetricsEndpoint.PORT), json.getString(MetricsEndpoint.TOKEN)).map(HttpServer::actualPort);
      return metricsPort.compose(port -> deploy(vertx, config, port)).onFailure(failure -> vertx.close());
    });
  }

  /**
   * The seat leaves first, then Vert.x closes. What this returns belongs to no context: a future chained on one of
   * this instance's contexts would hand its completion to an event loop that the close has stopped, and never complete.
   */
  public Future<Void> stop() {
    Future<Void> seatLeft = seat == null ? Future.succeededFuture() : seat.close();
    Promise<Void> stopped = Promise.promise();
    seatLeft.onComplete(left -> vertx.close().onComplete(stopped));
    return stopped.future();
  }

  private static Future<Vertx> vertx(NodeConfig config, PrometheusMeterRegistry registry) {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(!config.json().getBoolean(NodeConfig.NIO));
    VertxBuilder builder = Vertx.builder();
    if (registry != null) {
      options.setMetricsOptions(metricsOptions());
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    if (!config.clustered()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    JsonObject json = config.json();
    options.setEventBusOptions(new EventBusOptions().setHost(json.getString(NodeConfig.CLUSTER_HOST))
      .setPort(json.getInteger(NodeConfig.CLUSTER_PORT)));
    return builder.with(options)
      .withClusterManager(new HazelcastClusterManager(hazelcast(json.getString(NodeConfig.CLUSTER_CONFIG))))
      .buildClustered();
  }

  /**
   * Vert.x's own HTTP server, event bus, pool and JVM meters, labelled only by bounded values: route templates and
   * status codes, never raw paths, methods (any token a client sends), remote addresses or event-bus addresses
   * (they carry codelab and attendee ids). The registry name keeps two nodes in one JVM apart.
   */
  private static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions().setEnabled(true)
      .setRegistryName("codelabs-" + UUID.randomUUID())
      .setJvmMetricsEnabled(true)
      .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE, Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE,
        Label.POOL_NAME, Label.CLIENT_NAME))
      .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
      .addDisabledMetricsCategory(MetricsDomain.VERTICLES);
  }

  private static Config hazelcast(String path) {
    try (InputStream xml = path.isEmpty()
      ? Node.class.getResourceAsStream("/cluster-config/loopback.xml")
      : new FileInputStream(path)) {
      return new XmlConfigBuilder(xml).build();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the cluster config " + path + ": " + e.getMessage());
    }
  }

  /**
   * Deploys this node's verticles onto an existing Vert.x instance: the persistence role first
   * (the writer, or a standby that does not wait for the seat), then the bridge, then the API, then
   * the webhooks verticle, which every node runs and one of them (the holder of its seat) delivers with.
   */
  public static Future<Node> deploy(Vertx vertx, NodeConfig config) {
    return deploy(vertx, config, -1);
  }

  private static Future<Node> deploy(Vertx vertx, NodeConfig config, int metricsPort) {
    Set<NodeConfig.Role> roles = config.roles();
    JsonObject json = config.json().put(BusClient.NODE_ID_KEY, UUID.randomUUID().toString());
    WriterSeat seat = roles.contains(NodeConfig.Role.PERSISTENCE) ? WriterSeat.of(vertx, json) : null;
    Future<WriterSeat.Takeover> takeover = seat == null ? Future.succeededFuture(null) : seat.start();
    Future<BridgeVerticle> bridge = takeover.compose(v -> roles.contains(NodeConfig.Role.BRIDGE)
      ? deployBridge(vertx, json)
      : Future.succeededFuture(null));
    Future<String> uploads = bridge.compose(v -> roles.contains(NodeConfig.Role.UPLOADS)
      ? vertx.deployVerticle(new UploadVerticle(), new DeploymentOptions().setConfig(json))
      : Future.succeededFuture(null));
    Future<Integer> httpPort = uploads.compose(v -> roles.contains(NodeConfig.Role.API)
      ? deployApi(vertx, json.copy().put(BridgeVerticle.PORT, bridge.result() == null ? -1 : bridge.result().actualPort()))
      : Future.succeededFuture(-1));
    Future<String> webhooks = httpPort.compose(v -> vertx.deployVerticle(new WebhookVerticle(),
      new DeploymentOptions().setConfig(json)));
    return webhooks.map(v -> new Node(vertx, httpPort.result(), bridge.result(), metricsPort, seat, takeover.result()));
  }

  /** One bridge per node: its topics hold one bus consumer per address for all the node's sockets. */
  private static Future<BridgeVerticle> deployBridge(Vertx vertx, JsonObject json) {
    BridgeVerticle bridge = new BridgeVerticle();
    return vertx.deployVerticle(bridge, new DeploymentOptions().setConfig(json)).map(id -> bridge);
  }

  /**
   * Instances on a fixed port share one listener. Port 0 would give each instance a different
   * free port, so then there is one instance.
   */
  private static Future<Integer> deployApi(Vertx vertx, JsonObject json) {
    int configured = json.getInteger(NodeConfig.HTTP_INSTANCES);
    int instances = json.getInteger(HttpApiVerticle.PORT) == 0 ? 1 : configured;
    List<HttpApiVerticle> deployed = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      HttpApiVerticle verticle = new HttpApiVerticle();
      deployed.add(verticle);
      return verticle;
    }, new DeploymentOptions().setConfig(json)
      .setInstances(instances > 0 ? instances : Runtime.getRuntime().availableProcessors()))
      .map(id -> deployed.get(0).actualPort());
  }
}

package io.codelabs;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.bus.BusClient;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.uploads.UploadVerticle;
import io.codelabs.webhooks.WebhookVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
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
  /** The first facilitator's password when this start created it, else null. */
  public final String createdPassword;
  /** The persistence role's place in the writer election; null on a node without that role. */
  public final WriterSeat seat;
  /** The writer term this node took at start; 0 when it started as a standby or without the role. */
  public final long startTerm;

  private Node(Vertx vertx, int httpPort, int bridgePort, WriterSeat seat, WriterSeat.Takeover takeover) {
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.bridgePort = bridgePort;
    this.seat = seat;
    this.createdPassword = takeover == null ? null : takeover.createdPassword();
    this.startTerm = takeover == null ? 0 : takeover.term();
  }

  public static Future<Node> start(NodeConfig config) {
    return vertx(config).compose(vertx -> deploy(vertx, config).onFailure(failure -> vertx.close()));
  }

  public Future<Void> stop() {
    if (seat != null) {
      seat.close();
    }
    return vertx.close();
  }

  private static Future<Vertx> vertx(NodeConfig config) {
    VertxOptions options = new VertxOptions();
    if (!config.clustered()) {
      return Future.succeededFuture(Vertx.vertx(options));
    }
    JsonObject json = config.json();
    options.setEventBusOptions(new EventBusOptions().setHost(json.getString(NodeConfig.CLUSTER_HOST))
      .setPort(json.getInteger(NodeConfig.CLUSTER_PORT)));
    return Vertx.builder().with(options)
      .withClusterManager(new HazelcastClusterManager(hazelcast(json.getString(NodeConfig.CLUSTER_CONFIG))))
      .buildClustered();
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
    Set<NodeConfig.Role> roles = config.roles();
    JsonObject json = config.json().put(BusClient.NODE_ID_KEY, UUID.randomUUID().toString());
    WriterSeat seat = roles.contains(NodeConfig.Role.PERSISTENCE) ? new WriterSeat(vertx, json) : null;
    Future<WriterSeat.Takeover> takeover = seat == null ? Future.succeededFuture(null) : seat.start();
    Future<Integer> bridgePort = takeover.compose(v -> roles.contains(NodeConfig.Role.BRIDGE)
      ? deployBridge(vertx, json)
      : Future.succeededFuture(-1));
    Future<String> uploads = bridgePort.compose(v -> roles.contains(NodeConfig.Role.UPLOADS)
      ? vertx.deployVerticle(new UploadVerticle(), new DeploymentOptions().setConfig(json))
      : Future.succeededFuture(null));
    Future<Integer> httpPort = uploads.compose(v -> roles.contains(NodeConfig.Role.API)
      ? deployApi(vertx, json.copy().put(BridgeVerticle.PORT, bridgePort.result()))
      : Future.succeededFuture(-1));
    Future<String> webhooks = httpPort.compose(v -> vertx.deployVerticle(new WebhookVerticle(),
      new DeploymentOptions().setConfig(json)));
    return webhooks.map(v -> new Node(vertx, httpPort.result(), bridgePort.result(), seat, takeover.result()));
  }

  /** One bridge per node: its topics hold one bus consumer per address for all the node's sockets. */
  private static Future<Integer> deployBridge(Vertx vertx, JsonObject json) {
    BridgeVerticle bridge = new BridgeVerticle();
    return vertx.deployVerticle(bridge, new DeploymentOptions().setConfig(json)).map(id -> bridge.actualPort());
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

package io.codelabs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Http.Response;
import io.codelabs.Node;
import io.codelabs.NodeConfig;
import io.codelabs.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A writer node and an edge node (api and bridge only) clustered in this JVM on loopback. */
@DisplayName("Brute-force counters across a cluster")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusteredAttemptsTest {
  @TempDir
  Path work;
  private Node writer;
  private Node edge;
  private Http viaWriter;
  private Http viaEdge;

  @BeforeEach
  void cluster() throws Exception {
    LoopbackCluster.create(work, 2);
    JsonObject clustered = new JsonObject().put(NodeConfig.CLUSTER, true)
      .put(NodeConfig.CLUSTER_CONFIG, work.resolve("hazelcast.xml").toString())
      .put(NodeConfig.CLUSTER_HOST, "127.0.0.1");
    writer = TestNode.start(work.resolve("data"), clustered.copy().put(NodeConfig.ROLES, "api,bridge,persistence"));
    edge = TestNode.start(work.resolve("edge-data"), clustered.copy().put(NodeConfig.ROLES, "api,bridge"));
    viaWriter = new Http(writer.vertx, writer.httpPort);
    viaEdge = new Http(edge.vertx, edge.httpPort);
  }

  @AfterEach
  void stop() {
    viaEdge.close();
    viaWriter.close();
    edge.stop().await();
    writer.stop().await();
  }

  @Test
  @DisplayName("wrong passwords sent through both nodes count against one counter, and both nodes then answer 429")
  void failuresThroughBothNodesShareOneCounter() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(signIn(i % 2 == 0 ? viaWriter : viaEdge, "wrong password").status());
    }
    assertThat(statuses).containsOnly(401);
    Response lockedAtEdge = signIn(viaEdge, "wrong password");
    assertThat(lockedAtEdge.status()).isEqualTo(429);
    assertThat(lockedAtEdge.header("Retry-After")).isEqualTo("30");
    Response rightAtWriter = signIn(viaWriter, writer.createdPassword);
    assertThat(rightAtWriter.status()).as("the right password, while locked out").isEqualTo(429);
  }

  private static Response signIn(Http http, String password) {
    return http.post("/api/auth/login", null, new JsonObject()
      .put("username", Node.FIRST_FACILITATOR).put("password", password));
  }
}

package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Socket transport and single-node footprint")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeFootprintTest {

  @Test
  @DisplayName("on Linux a node serves its sockets with epoll, says so at start, and answers over it")
  void nativeByDefault(@TempDir Path dataDir) {
    Node node = TestNode.start(dataDir);
    Http http = new Http(node.vertx, node.httpPort);
    try {
      assertThat(node.vertx.isNativeTransportEnabled()).isTrue();
      assertThat(node.transport).isEqualTo("epoll");
      assertThat(Main.banner(TestNode.config(dataDir, new JsonObject()).json(), node, 0))
        .contains("Sockets served by epoll\n");
      assertThat(http.get("/health", null).status()).isEqualTo(200);
    } finally {
      http.close();
      node.stop().await();
    }
  }

  @Test
  @DisplayName("a node started without --cluster runs no Hazelcast member and a local event bus")
  void singleNodeStartsNoClusterParts(@TempDir Path dataDir) {
    // Compared with what ran before in this JVM, which a cluster test may have left behind.
    Set<HazelcastInstance> before = Set.copyOf(Hazelcast.getAllHazelcastInstances());
    Node node = TestNode.start(dataDir);
    try {
      assertThat(node.vertx.isClustered()).isFalse();
      assertThat(Hazelcast.getAllHazelcastInstances()).containsExactlyInAnyOrderElementsOf(before);
    } finally {
      node.stop().await();
    }
  }

  @Test
  @DisplayName("--nio keeps a node on Java NIO")
  void nioWhenAsked(@TempDir Path dataDir) {
    JsonObject nio = new JsonObject().put(NodeConfig.NIO, true);
    Node node = TestNode.start(dataDir, nio);
    Http http = new Http(node.vertx, node.httpPort);
    try {
      assertThat(node.vertx.isNativeTransportEnabled()).isFalse();
      assertThat(node.transport).isEqualTo("nio");
      assertThat(Main.banner(TestNode.config(dataDir, nio).json(), node, 0)).contains("Sockets served by nio\n");
      assertThat(http.get("/health", null).status()).isEqualTo(200);
    } finally {
      http.close();
      node.stop().await();
    }
  }
}

package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codelabs.api.HttpApiVerticle;
import io.codelabs.persistence.PersistenceVerticle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Node configuration")
class NodeConfigTest {

  @Test
  @DisplayName("defaults: one node with every role, port 8080, ./data")
  void defaults() {
    NodeConfig config = NodeConfig.load(new String[0], Map.of());
    assertThat(config.json().getInteger(HttpApiVerticle.PORT)).isEqualTo(8080);
    assertThat(config.json().getString(PersistenceVerticle.DATA_DIR)).isEqualTo("data");
    assertThat(config.roles()).containsExactlyInAnyOrder(NodeConfig.Role.API, NodeConfig.Role.BRIDGE,
      NodeConfig.Role.PERSISTENCE);
    assertThat(config.clustered()).isFalse();
  }

  @Test
  @DisplayName("options win over environment variables, which win over the file")
  void precedence(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("codelabs.json");
    Files.writeString(file, "{\"http.port\": 7000, \"dataDir\": \"/from-file\", \"writer.maxBatch\": 50}");
    NodeConfig config = NodeConfig.load(new String[] {"--config", file.toString(), "--port", "9000"},
      Map.of("CODELABS_HTTP_PORT", "8500", "CODELABS_DATA_DIR", "/from-env"));
    assertThat(config.json().getInteger(HttpApiVerticle.PORT)).isEqualTo(9000);
    assertThat(config.json().getString(PersistenceVerticle.DATA_DIR)).isEqualTo("/from-env");
    assertThat(config.json().getInteger(PersistenceVerticle.MAX_BATCH)).isEqualTo(50);

    NodeConfig fromEnvFile = NodeConfig.load(new String[0], Map.of("CODELABS_CONFIG", file.toString(),
      "CODELABS_ROLES", "api", "CODELABS_CLUSTER", "true"));
    assertThat(fromEnvFile.json().getInteger(HttpApiVerticle.PORT)).isEqualTo(7000);
    assertThat(fromEnvFile.roles()).containsExactly(NodeConfig.Role.API);
    assertThat(fromEnvFile.clustered()).isTrue();
  }

  @Test
  @DisplayName("mistakes are reported in words a person can act on")
  void mistakes() {
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--port", "eighty"}, Map.of()))
      .hasMessageContaining("--port").hasMessageContaining("number");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--colour"}, Map.of()))
      .hasMessageContaining("Unknown option --colour");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--roles", "api,cache"}, Map.of()))
      .hasMessageContaining("roles");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--data-dir"}, Map.of()))
      .hasMessageContaining("needs a value");
  }

  @Test
  @DisplayName("--help lists every option with its environment variable")
  void help() {
    String usage = NodeConfig.usage();
    assertThat(usage).contains("--port V", "CODELABS_HTTP_PORT", "--data-dir V", "CODELABS_DATA_DIR", "--roles V",
      "--cluster ", "CODELABS_CLUSTER_CONFIG", "--cluster-host V", "CODELABS_WRITER_QUEUE_SIZE", "--config FILE");
    assertThat(NodeConfig.wantsHelp(new String[] {"--help"})).isTrue();
  }
}

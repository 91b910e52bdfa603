package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bus.SharedConfig;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.storage.StorageConfig;
import io.codelabs.uploads.UploadVerticle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Node configuration")
class NodeConfigTest {

  @Test
  @DisplayName("defaults: one node with every role, port 8080, ./data, no scanner")
  void defaults() {
    NodeConfig config = NodeConfig.load(new String[0], Map.of());
    assertThat(config.json().getInteger(HttpApiVerticle.PORT)).isEqualTo(8080);
    assertThat(config.json().getString(SharedConfig.DATA_DIR)).isEqualTo("data");
    assertThat(config.roles()).containsExactlyInAnyOrder(NodeConfig.Role.API, NodeConfig.Role.BRIDGE,
      NodeConfig.Role.PERSISTENCE, NodeConfig.Role.UPLOADS);
    assertThat(config.json().getString(UploadVerticle.CLAMD_HOST)).isEmpty();
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
    assertThat(config.json().getString(SharedConfig.DATA_DIR)).isEqualTo("/from-env");
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
  @DisplayName("a core node is clustered, has the persistence role and names itself among well-formed core peers")
  void corePeers() {
    String peers = "a=127.0.0.1:7100,b=127.0.0.1:7101,c=127.0.0.1:7102";
    assertThat(NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers", peers,
      "--core-id", "b"}, Map.of()).json().getString("core.id")).isEqualTo("b");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--core-peers", peers, "--core-id", "b"}, Map.of()))
      .hasMessageContaining("--cluster");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "api", "--core-peers", peers,
      "--core-id", "b"}, Map.of())).hasMessageContaining("persistence role");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers", peers,
      "--core-id", "d"}, Map.of())).hasMessageContaining("--core-id must name one of --core-peers");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "a=127.0.0.1:7100,b", "--core-id", "a"}, Map.of())).hasMessageContaining("id=host:port");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "a=127.0.0.1:7100,b=127.0.0.1", "--core-id", "a"}, Map.of())).hasMessageContaining("host:port with a port");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "a=127.0.0.1:7100,a=127.0.0.1:7101", "--core-id", "a"}, Map.of())).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "a=127.0.0.1:7100,b=127.0.0.1:7100", "--core-id", "a"}, Map.of())).hasMessageContaining("same address");
  }

  @Test
  @DisplayName("a joining core node names its own address in the core peers, like any core node")
  void coreJoin() {
    NodeConfig joining = NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "d=127.0.0.1:7103", "--core-id", "d", "--core-join"}, Map.of());
    assertThat(joining.json().getBoolean("core.join")).isTrue();
    assertThat(NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "a=127.0.0.1:7100", "--core-id", "a"}, Map.of()).json().getBoolean("core.join")).isFalse();
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-join"},
      Map.of())).hasMessageContaining("--core-join needs --core-peers");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--cluster", "--roles", "persistence", "--core-peers",
      "a=127.0.0.1:7100", "--core-id", "d", "--core-join"}, Map.of()))
      .hasMessageContaining("--core-id must name one of --core-peers");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--core-peers", "d=127.0.0.1:7103", "--core-id", "d",
      "--core-join"}, Map.of())).hasMessageContaining("--cluster");
  }

  @Test
  @DisplayName("S3 credentials come from the environment only, never from options or the file")
  void secretsFromEnvironmentOnly(@TempDir Path dir) throws Exception {
    NodeConfig config = NodeConfig.load(new String[] {"--s3-bucket", "work"},
      Map.of("CODELABS_S3_ACCESS_KEY", "AKIA1", "CODELABS_S3_SECRET_KEY", "s3cr3t"));
    assertThat(config.json().getString(StorageConfig.S3_BUCKET)).isEqualTo("work");
    assertThat(config.json().getString(StorageConfig.S3_SECRET_KEY)).isEqualTo("s3cr3t");
    Path file = dir.resolve("codelabs.json");
    Files.writeString(file, "{\"s3.secretKey\": \"in-a-file\"}");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--config", file.toString()}, Map.of()))
      .hasMessageContaining("CODELABS_S3_SECRET_KEY");
    assertThatThrownBy(() -> NodeConfig.load(new String[] {"--s3-secret-key", "x"}, Map.of()))
      .hasMessageContaining("Unknown option");
    assertThat(NodeConfig.usage()).contains("(environment only)", "CODELABS_S3_SECRET_KEY", "--clamd-host V",
      "CODELABS_UPLOADS_MAX_FILE_BYTES");
  }

  @Test
  @DisplayName("--help lists every option with its environment variable")
  void help() {
    String usage = NodeConfig.usage();
    assertThat(usage).contains("--port V", "CODELABS_HTTP_PORT", "--data-dir V", "CODELABS_DATA_DIR", "--roles V",
      "--cluster ", "CODELABS_CLUSTER_CONFIG", "--cluster-host V", "CODELABS_WRITER_QUEUE_SIZE", "--config FILE",
      "--nio ", "CODELABS_NIO", "-XX:+UseSerialGC", "-Xms32m", "-XX:MaxNewSize=32m", "-XX:MaxHeapFreeRatio=40",
      "-XX:TrimNativeHeapInterval=5000", "-Xmx", "-XX:+UseZGC");
    assertThat(NodeConfig.wantsHelp(new String[] {"--help"})).isTrue();
  }
}

package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Shipped Hazelcast configs")
class ClusterConfigTest {

  @ParameterizedTest(name = "{0} is valid Hazelcast XML: cluster name pinned, multicast off, failures seen in 10 s")
  @ValueSource(strings = {"loopback.xml", "multi-host.xml", "kubernetes.xml"})
  void shippedConfigs(String file) throws IOException {
    try (InputStream xml = new FileInputStream(Path.of("..", "cluster-config", file).toFile())) {
      Config config = new XmlConfigBuilder(xml).build();
      assertThat(config.getClusterName()).isEqualTo("codelabs");
      assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
      assertThat(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
      assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
      assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()
        || config.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled()).isTrue();
    }
  }
}

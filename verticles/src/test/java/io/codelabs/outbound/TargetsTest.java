package io.codelabs.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Outbound targets: internal addresses refused unless allowed")
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TargetsTest {
  @ParameterizedTest(name = "{0} is internal")
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::",
    "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe"})
  void internal(String address) throws Exception {
    assertThat(Targets.internal(InetAddress.getByName(address))).isTrue();
  }

  @ParameterizedTest(name = "{0} is public")
  @ValueSource(strings = {"93.184.215.14", "1.1.1.1", "100.128.0.1", "172.32.0.1", "2606:4700::1111"})
  void external(String address) throws Exception {
    assertThat(Targets.internal(InetAddress.getByName(address))).isFalse();
  }

  @Test
  @DisplayName("https only by default; no credentials in the URL; localhost resolves to loopback and is refused")
  void urls() {
    assertThatThrownBy(() -> Targets.parse("http://example.org/hook", false)).hasMessageContaining("https");
    assertThat(Targets.parse("http://example.org/hook", true).getHost()).isEqualTo("example.org");
    assertThatThrownBy(() -> Targets.parse("https://user:pw@example.org/", false)).hasMessageContaining("credentials");
    assertThatThrownBy(() -> Targets.parse("ftp://example.org/", true)).hasMessageContaining("http");
    assertThatThrownBy(() -> Targets.resolve("https://localhost:8443/hook", false, false))
      .hasMessageContaining("internal address");
    assertThatThrownBy(() -> Targets.resolve("https://[::1]/hook", false, false)).hasMessageContaining("internal address");
  }

  @Test
  @DisplayName("when allowed, the target keeps the name for Host and TLS and connects to the resolved address")
  void pinned() throws Exception {
    Targets.Target target = Targets.resolve("http://localhost:8080/a/b?c=d", true, true);
    assertThat(target.host()).isEqualTo("localhost");
    assertThat(target.port()).isEqualTo(8080);
    assertThat(target.pathAndQuery()).isEqualTo("/a/b?c=d");
    assertThat(target.address().isLoopbackAddress()).isTrue();
  }
}

package io.codelabs.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.connections.FileBudget;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The load rehearsal command")
class RehearsalTest extends NodeTestBase {

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  @DisplayName("simulates attendees and a dashboard against a node and reports latency, delivery, errors and writer batches")
  void rehearsesAgainstANode() {
    RehearsalConfig config = RehearsalConfig.parse(new String[] {
      "--url", "http://127.0.0.1:" + node.httpPort, "--attendees", "12", "--ramp-seconds", "1",
      "--duration-seconds", "4", "--progress-every-seconds", "1", "--chat-chance", "0.5",
      "--help-chance", "0.2", "--disconnect-chance", "0.1", "--password", node.createdPassword}, Map.of());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    JsonObject report = new Rehearsal(node.vertx, config,
      new PrintStream(printed, true, StandardCharsets.UTF_8)).run().await();
    System.out.println(printed.toString(StandardCharsets.UTF_8));

    assertThat(report.getJsonObject("connections").getInteger("joined")).isEqualTo(12);
    assertThat(report.getJsonObject("connections").getInteger("peak")).as("attendees plus the dashboard, some of them dropped")
      .isBetween(10, 13);
    assertThat(report.getJsonObject("errors")).as("errors").isEmpty();
    JsonObject latency = report.getJsonObject("latency");
    assertThat(latency.getJsonObject("attendees").getInteger("count")).isPositive();
    assertThat(latency.getJsonObject("dashboard").getInteger("count")).isPositive();
    assertThat(latency.getJsonObject("commandAck").getDouble("p50Ms")).isPositive();
    JsonObject delivery = report.getJsonObject("delivery");
    assertThat(delivery.getJsonObject("attendees").getLong("expected")).isPositive();
    assertThat(delivery.getJsonObject("attendees").getDouble("percent")).isEqualTo(100.0);
    assertThat(delivery.getJsonObject("dashboard").getDouble("percent")).isEqualTo(100.0);
    JsonObject writer = report.getJsonObject("writer");
    assertThat(writer.getLong("commands")).isGreaterThanOrEqualTo(latency.getJsonObject("commandAck").getLong("count"));
    assertThat(writer.getDouble("meanBatch")).isGreaterThanOrEqualTo(1.0);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Load rehearsal report").contains("progress to dashboard");
  }

  @Test
  @DisplayName("stops before its first join when this process may not open a socket for every attendee")
  void refusesMoreAttendeesThanFiles() {
    int attendees = (int) FileBudget.ofThisProcess().openFiles();
    RehearsalConfig config = RehearsalConfig.parse(new String[] {"--url", "http://127.0.0.1:" + node.httpPort,
      "--attendees", String.valueOf(attendees), "--password", node.createdPassword}, Map.of());
    int codelabs = http.get("/api/codelabs", admin).json().getJsonArray("codelabs").size();

    assertThatThrownBy(() -> new Rehearsal(node.vertx, config, new PrintStream(new ByteArrayOutputStream(), true,
      StandardCharsets.UTF_8)).run().await()).hasMessageContaining(attendees + " attendees")
      .hasMessageContaining("ulimit -n");
    assertThat(http.get("/api/codelabs", admin).json().getJsonArray("codelabs")).as("no codelab was made").hasSize(codelabs);
  }

  @Test
  @DisplayName("refuses a run without URL or password, and unknown or out-of-range options")
  void refusesBadOptions() {
    assertThatThrownBy(() -> RehearsalConfig.parse(new String[] {"--password", "x"}, Map.of()))
      .hasMessageContaining("--url");
    assertThatThrownBy(() -> RehearsalConfig.parse(new String[] {"--url", "http://localhost:1"}, Map.of()))
      .hasMessageContaining("--password");
    assertThatThrownBy(() -> RehearsalConfig.parse(new String[] {"--url", "http://localhost:1", "--password", "x",
      "--attendees", "0"}, Map.of())).hasMessageContaining("--attendees");
    assertThatThrownBy(() -> RehearsalConfig.parse(new String[] {"--url", "http://localhost:1", "--password", "x",
      "--chat-chance", "2"}, Map.of())).hasMessageContaining("--chat-chance");
    assertThatThrownBy(() -> RehearsalConfig.parse(new String[] {"--url", "http://localhost:1", "--password", "x",
      "--colour", "red"}, Map.of())).hasMessageContaining("--colour");
    RehearsalConfig fromEnv = RehearsalConfig.parse(new String[] {"--url", "http://127.0.0.1:8080/",
      "--attendees", "45000"}, Map.of("CODELABS_REHEARSAL_PASSWORD", "secret"));
    assertThat(fromEnv.password()).isEqualTo("secret");
    assertThat(fromEnv.sourceAddresses()).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
    assertThat(RehearsalConfig.parse(new String[] {"--url", "https://codelabs.example.org", "--password", "x"},
      Map.of()).sourceAddresses()).isEmpty();
    assertThat(Node.FIRST_FACILITATOR).isEqualTo(fromEnv.username());
  }
}

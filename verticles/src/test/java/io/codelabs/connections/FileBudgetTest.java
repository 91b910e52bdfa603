package io.codelabs.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeConfig;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Connection caps shared out of the open-files limit")
class FileBudgetTest {
  @Test
  @DisplayName("20,000 open files give the API 4,000 connections, the realtime bridge 12,000 and the TCP bridge 500")
  void twentyThousand() {
    assertThat(FileBudget.of(20_000)).isEqualTo(new FileBudget(20_000, 4_000, 12_000, 500));
  }

  @Test
  @DisplayName("below 20,000 the caps leave the node's own files their share, the realtime bridge three times the API's")
  void smallerLimits() {
    for (long openFiles : List.of(256L, 1_024L, 4_096L, 19_999L)) {
      FileBudget budget = FileBudget.of(openFiles);
      long connections = (long) budget.api() + budget.bridge() + budget.tcpBridge();
      assertThat(openFiles - connections).as("left to the node's own files at %d", openFiles)
        .isGreaterThanOrEqualTo(Math.min(FileBudget.RESERVED_MAX, openFiles * 7 / 40));
      assertThat(budget.bridge()).as("realtime at %d", openFiles).isBetween(3 * budget.api(), 3 * budget.api() + 3);
      assertThat(budget.tcpBridge()).isPositive().isLessThanOrEqualTo((int) FileBudget.TCP_BRIDGE_MAX);
    }
    assertThat(FileBudget.of(1_024)).isEqualTo(new FileBudget(1_024, 205, 615, 25));
  }

  @Test
  @DisplayName("above 20,000, an unlimited process included, the caps stay at what a heap sized for one room holds")
  void largerLimits() {
    for (long openFiles : List.of(65_536L, 1_048_576L, Long.MAX_VALUE)) {
      FileBudget budget = FileBudget.of(openFiles);
      assertThat(List.of(budget.api(), budget.bridge(), budget.tcpBridge())).as("at %d", openFiles)
        .containsExactly(4_000, 12_000, 500);
    }
  }

  @Test
  @DisplayName("a node's defaults are this process's budget")
  void nodeDefaults() {
    JsonObject config = NodeConfig.of(new JsonObject()).json();
    FileBudget budget = FileBudget.ofThisProcess();
    assertThat(config.getInteger(HttpApiVerticle.LIMITS + ConnectionLimits.MAX_CONNECTIONS)).isEqualTo(budget.api());
    assertThat(config.getInteger(BridgeVerticle.LIMITS + ConnectionLimits.MAX_CONNECTIONS)).isEqualTo(budget.bridge());
    assertThat(config.getInteger(BridgeVerticle.TCP_LIMITS + ConnectionLimits.MAX_CONNECTIONS))
      .isEqualTo(budget.tcpBridge());
  }
}

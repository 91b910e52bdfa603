package io.codelabs;

import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.bus.SharedConfig;
import io.codelabs.metrics.MetricsEndpoint;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** A whole node in this JVM, on free ports, with its SQLite file in the given directory. */
public final class TestNode {
  private TestNode() {
  }

  public static Node start(Path dataDir) {
    return start(dataDir, new JsonObject());
  }

  public static Node start(Path dataDir, JsonObject overrides) {
    return Node.start(config(dataDir, overrides)).await();
  }

  public static NodeConfig config(Path dataDir, JsonObject overrides) {
    return NodeConfig.of(new JsonObject()
      .put(HttpApiVerticle.PORT, 0)
      .put(BridgeVerticle.PORT, 0)
      .put(BridgeVerticle.HOST, "127.0.0.1")
      .put(HttpApiVerticle.HOST, "127.0.0.1")
      .put(BridgeVerticle.PORT, 0)
      .put(BridgeVerticle.HOST, "127.0.0.1")
      .put(BridgeVerticle.TCP_PORT, 0)
      .put(BridgeVerticle.TCP_HOST, "127.0.0.1")
      .put(MetricsEndpoint.PORT, 0)
      .put(SharedConfig.DATA_DIR, dataDir.toString())
      .mergeIn(overrides));
  }
}

package io.codelabs.bridge;

import io.codelabs.bus.SharedConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * Browsers always send Origin on these requests: it must be one of the configured origins, else the public URL's,
 * else exactly the API's own origin on the host the socket came to, or the bridge's own (SockJS's iframe transports
 * run in a page the bridge serves); not any port of that host: another service on it must not ride on the
 * attendee's cookie. Scripts send none and need a token.
 */
final class Origins {
  private final Vertx vertx;
  private final String configured;
  private final String publicUrl;
  private final IntSupplier bridgePort;

  Origins(Vertx vertx, JsonObject config, IntSupplier bridgePort) {
    this.vertx = vertx;
    this.configured = config.getString(BridgeVerticle.ALLOWED_ORIGINS);
    this.publicUrl = config.getString(SharedConfig.PUBLIC_URL);
    this.bridgePort = bridgePort;
  }

  boolean allowed(MultiMap headers) {
    String origin = headers.get("Origin");
    if (origin == null) {
      return true;
    }
    if (!configured.isBlank()) {
      return Arrays.stream(configured.split(",")).map(String::strip).anyMatch(origin::equals);
    }
    if (!publicUrl.isBlank()) {
      URI page = URI.create(publicUrl);
      return origin.equals(page.getScheme() + "://" + page.getRawAuthority());
    }
    String host = headers.get("Host");
    try {
      URI page = URI.create(origin);
      int port = page.getPort() == -1 ? 80 : page.getPort();
      return host != null && "http".equals(page.getScheme()) && page.getRawPath().isEmpty() && page.getHost() != null
        && page.getHost().equalsIgnoreCase(URI.create("http://" + host).getHost())
        && (port == bridgePort.getAsInt() || vertx.sharedData().getLocalMap(SharedConfig.API_PORTS).containsKey(port));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

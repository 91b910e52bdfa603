package io.codelabs.bridge;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's attendee sockets in the writer's presence rows: each socket counts while open, and a heartbeat keeps
 * the node's rows alive; rows of nodes silent for 3.5 beats are swept.
 */
final class Presence {
  private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

  private final BusClient bus;
  private final long heartbeatMs;
  private final String nodeId = UUID.randomUUID().toString();

  Presence(BusClient bus, long heartbeatMs) {
    this.bus = bus;
    this.heartbeatMs = heartbeatMs;
  }

  void start(Vertx vertx) {
    vertx.setPeriodic(heartbeatMs, id -> heartbeat(false));
  }

  /** Tells the writer this node's sockets are gone, so its attendees show offline at once. */
  Future<JsonObject> gone() {
    return heartbeat(true);
  }

  void opened(Session session) {
    count(session, 1);
  }

  void closed(Session session) {
    count(session, -1);
  }

  private Future<JsonObject> heartbeat(boolean gone) {
    return bus.request(Address.PRESENCE_HEARTBEAT, new JsonObject().put("nodeId", nodeId).put("gone", gone)
        .put("expiryMs", heartbeatMs * 7 / 2))
      .onFailure(failure -> LOG.debug("Presence heartbeat failed: {}", failure.getMessage()));
  }

  private void count(Session session, int delta) {
    if (!session.actor.isFacilitator()) {
      bus.request(Address.PRESENCE_UPDATE, session.actor, new JsonObject().put("nodeId", nodeId).put("delta", delta))
        .onFailure(failure -> LOG.warn("Presence of {} not recorded: {}", session.actor.id(), failure.getMessage()));
    }
  }
}

package io.codelabs.bridge;

import io.codelabs.bus.EventHeaders;
import io.codelabs.metrics.BridgeMeters;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One bus consumer per event address per bridge verticle, however many local sockets receive it;
 * each event is encoded into its bridge frame once and that buffer is written to every socket.
 * A snapshot stream has no bus consumer at all: the verticle computes it and fans it out itself.
 */
final class Topics {
  private final EventBus bus;
  private final BridgeMeters meters;
  private static final BridgeMeters.Transport[] TRANSPORTS = BridgeMeters.Transport.values();
  private final Map<String, Topic> topics = new HashMap<>();

  private static final class Topic {
    /** Null for a node-local snapshot stream. */
    final MessageConsumer<JsonObject> consumer;
    final Set<Session> sessions = new LinkedHashSet<>();

    Topic(MessageConsumer<JsonObject> consumer) {
      this.consumer = consumer;
    }
  }

  Topics(EventBus bus, BridgeMeters meters) {
    this.bus = bus;
    this.meters = meters;
  }

  /** Completes once the bus delivers this address here (on a cluster, once the subscription spread). */
  Future<Void> subscribe(String address, Session session) {
    Topic topic = topics.get(address);
    if (topic == null) {
      topic = new Topic(bus.consumer(address, message -> delivered(address, message)));
      topics.put(address, topic);
    }
    topic.sessions.add(session);
    return topic.consumer.completion();
  }

  /** Adds the socket to a node-local snapshot stream that only {@link #fanOut} feeds. */
  void follow(String address, Session session) {
    topics.computeIfAbsent(address, local -> new Topic(null)).sessions.add(session);
  }

  void unsubscribe(String address, Session session) {
    Topic topic = topics.get(address);
    if (topic != null && topic.sessions.remove(session) && topic.sessions.isEmpty()) {
      topics.remove(address);
      if (topic.consumer != null) {
        topic.consumer.unregister();
      }
    }
  }

  boolean has(String address) {
    return topics.containsKey(address);
  }

  void fanOut(String address, JsonObject body) {
    Topic topic = topics.get(address);
    if (topic != null) {
      fanOut(topic, address, body);
    }
  }

  private void delivered(String address, Message<JsonObject> message) {
    Topic topic = topics.get(address);
    if (topic != null) {
      fanOut(topic, address, message.body());
      String committedAt = message.headers().get(EventHeaders.COMMITTED_AT);
      if (committedAt != null) {
        meters.fannedOut(Long.parseLong(committedAt));
      }
    }
  }

  /**
   * Encoded once per frame dialect among the receivers; counted per transport. The loop runs once per receiving
   * socket, so it keeps to array slots and the dialect last used instead of a map lookup per socket.
   */
  private void fanOut(Topic topic, String address, JsonObject body) {
    int[] receivers = new int[TRANSPORTS.length];
    Map<String, Buffer> frames = new HashMap<>(2);
    String lastType = null;
    Buffer lastFrame = null;
    for (Session session : topic.sessions.toArray(Session[]::new)) {
      String type = session.wire.deliveryType();
      if (!type.equals(lastType)) {
        lastFrame = frames.computeIfAbsent(type, dialect -> frame(dialect, address, body));
        lastType = type;
      }
      session.deliver(lastFrame);
      receivers[session.wire.transport().ordinal()]++;
    }
    for (int i = 0; i < receivers.length; i++) {
      if (receivers[i] > 0) {
        meters.delivered(TRANSPORTS[i], receivers[i]);
      }
    }
  }

  static Buffer frame(String type, String address, JsonObject body) {
    return Buffer.buffer("{\"type\":" + Json.encode(type) + ",\"address\":" + Json.encode(address) + ",\"body\":"
      + body.encode() + "}");
  }
}

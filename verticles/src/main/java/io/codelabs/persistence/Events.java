package io.codelabs.persistence;

import io.codelabs.bus.EventType;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** The wire shape of an event and the addresses it is published to. */
final class Events {
  private Events() {
  }

  static JsonObject json(String codelabId, long seq, String epoch, String stream, String attendeeId,
                         long streamSeq, String type, String eventId, long at, JsonObject data) {
    return new JsonObject()
      .put("codelabId", codelabId)
      .put("seq", seq)
      .put("epoch", epoch)
      .put("stream", stream)
      .put("attendeeId", attendeeId)
      .put("streamSeq", streamSeq)
      .put("type", type)
      .put("eventId", eventId)
      .put("at", at)
      .put("data", data);
  }

  /** Inbox events also go to the facilitators, so a facilitator's seq has no gaps. */
  static void publish(EventBus bus, JsonObject event, DeliveryOptions options) {
    String codelabId = event.getString("codelabId");
    EventType.Stream stream = EventType.Stream.of(event.getString("stream"));
    if (stream == EventType.Stream.ATTENDEE) {
      bus.publish(stream.address.of(codelabId, event.getString("attendeeId")), event, options);
      bus.publish(EventType.Stream.FACILITATORS.address.of(codelabId), event, options);
    } else {
      bus.publish(stream.address.of(codelabId), event, options);
    }
  }
}

package io.codelabs.bridge;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.AsyncResult;
import io.codelabs.metrics.BridgeMeters;
import io.codelabs.bus.Scope;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-bus bridge protocol on an open socket, SockJS or TCP alike: pings, register and unregister, send; deny by default, with the
 * sender's identity stamped onto every command. Each socket's frames are handled one after the other, so its
 * commands apply in the order it sent them.
 */
final class FrameProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(FrameProtocol.class);
  private static final int MAX_QUEUED_FRAMES = 64;
  private static final String ACCESS_DENIED = "access_denied";

  private final BusClient bus;
  private final Topics topics;
  private final Permissions permissions;
  private final CommandRules rules;
  private final DashboardFeed dashboards;
  private final BridgeMeters meters;
  private final int maxAddressLength;
  private final int maxHandlers;

  FrameProtocol(BusClient bus, Topics topics, Permissions permissions, CommandRules rules, DashboardFeed dashboards,
                BridgeMeters meters, int maxAddressLength, int maxHandlers) {
    this.bus = bus;
    this.topics = topics;
    this.permissions = permissions;
    this.rules = rules;
    this.dashboards = dashboards;
    this.meters = meters;
    this.maxAddressLength = maxAddressLength;
    this.maxHandlers = maxHandlers;
  }

  void read(Session session) {
    session.wire.frames(frame -> {
      if (frame.succeeded() && "ping".equals(frame.result().getValue("type"))) {
        session.lastPingNanos = System.nanoTime();
        session.wire.pinged();
      } else if (!session.enqueue(frame, MAX_QUEUED_FRAMES)) {
        meters.rateLimited();
        session.close(4029, "too many frames waiting");
      } else if (!session.handling) {
        drain(session);
      }
    });
  }

  /** A closed socket receives nothing any more. */
  void unsubscribeAll(Session session) {
    session.addresses.forEach(address -> topics.unsubscribe(address, session));
    session.addresses.clear();
  }

  /** One frame at a time per socket, so a socket's commands apply in the order it sent them. */
  private void drain(Session session) {
    AsyncResult<JsonObject> next = session.pending.poll();
    session.handling = next != null && !session.closed();
    if (session.handling) {
      handleSafely(session, next).onComplete(done -> drain(session));
    }
  }

  /** Whatever one frame does wrong, the socket's next frames must still be handled. */
  private Future<?> handleSafely(Session session, AsyncResult<JsonObject> frame) {
    try {
      return handle(session, frame);
    } catch (RuntimeException e) {
      LOG.error("Frame from {} failed", session.actor.id(), e);
      session.error("internal_error");
      return Future.succeededFuture();
    }
  }

  private Future<?> handle(Session session, AsyncResult<JsonObject> received) {
    if (received.failed()) {
      session.error(received.cause() instanceof DecodeException ? "invalid_json" : received.cause().getMessage());
      return Future.succeededFuture();
    }
    JsonObject frame = received.result();
    String type = frame.getString("type");
    String address = frame.getString("address");
    if (type == null) {
      session.error("missing_type");
    } else if (type.equals("ping")) {
      session.lastPingNanos = System.nanoTime();
    } else if (address == null) {
      session.error("missing_address");
    } else if (!session.admit()) {
      meters.rateLimited();
      reject(session, frame, ErrorCode.RATE_LIMITED, "rate_limited");
    } else if (address.length() > maxAddressLength) {
      reject(session, frame, ErrorCode.INVALID, "address_too_long");
    } else {
      return switch (type) {
        case "register" -> register(session, address);
        case "unregister" -> {
          session.addresses.remove(address);
          topics.unsubscribe(address, session);
          yield Future.succeededFuture();
        }
        case "send" -> send(session, address, frame);
        case "publish" -> {
          reject(session, frame, ErrorCode.FORBIDDEN, ACCESS_DENIED);
          yield Future.succeededFuture();
        }
        default -> {
          session.error("invalid_type");
          yield Future.succeededFuture();
        }
      };
    }
    return Future.succeededFuture();
  }

  private Future<?> register(Session session, String address) {
    if (session.addresses.contains(address)) {
      return Future.succeededFuture();
    }
    if (session.addresses.size() >= maxHandlers) {
      session.error("max_handlers_reached");
      return Future.succeededFuture();
    }
    Permissions.Subscription subscription = permissions.subscription(session.actor, address)
      .filter(wanted -> keyAllows(session, wanted.address(), wanted.codelabId())).orElse(null);
    if (subscription == null) {
      denied(session, address);
      return Future.succeededFuture();
    }
    Future<Boolean> allowed = session.actor.isFacilitator()
      ? facilitates(session, subscription.codelabId())
      : Future.succeededFuture(true);
    return allowed.<Object>compose(ok -> {
      if (!ok || session.closed()) {
        denied(session, address);
        return Future.succeededFuture();
      }
      session.addresses.add(address);
      if (subscription.address().kind != Address.Kind.SNAPSHOT) {
        return topics.subscribe(address, session).mapEmpty();
      }
      topics.follow(address, session);
      dashboards.watch(subscription.codelabId(), session.actor);
      return dashboards.snapshot(subscription.codelabId(), session.actor)
        .onSuccess(snapshot -> session.deliver(Topics.frame(session.wire.deliveryType(), address, snapshot)))
        .mapEmpty();
    });
  }

  /** Asked once per socket and codelab; a failed check (writer away) is asked again next time. */
  private Future<Boolean> facilitates(Session session, String codelabId) {
    return session.facilitates.computeIfAbsent(codelabId, id -> bus
      .request(Address.ACCESS_CHECK, session.actor, new JsonObject().put("codelabId", id))
      .map(reply -> reply.getString("access").equals("owner") || reply.getString("access").equals("assistant"))
      .onFailure(failure -> session.facilitates.remove(id))
      .otherwise(false));
  }

  private Future<?> send(Session session, String address, JsonObject frame) {
    Address command = permissions.command(session.actor, address).orElse(null);
    Object body = frame.getValue("body");
    if (command == null) {
      reject(session, frame, ErrorCode.FORBIDDEN, ACCESS_DENIED);
      return Future.succeededFuture();
    }
    if (command == Address.BRIDGE_PING) {
      reply(session, frame.getString("replyAddress"), new JsonObject());
      return Future.succeededFuture();
    }
    if (!(body instanceof JsonObject json)) {
      reject(session, frame, ErrorCode.INVALID, "body must be a JSON object");
      return Future.succeededFuture();
    }
    JsonObject stamped = json.copy();
    stamped.remove("actor");
    if (!session.actor.isFacilitator()) {
      stamped.put("codelabId", session.actor.codelabId());
    }
    if (!keyAllows(session, command, stamped.getString("codelabId"))) {
      reject(session, frame, ErrorCode.FORBIDDEN, ACCESS_DENIED);
      return Future.succeededFuture();
    }
    try {
      rules.check(command, stamped);
    } catch (BusFailure invalid) {
      reject(session, frame, invalid.code, invalid.getMessage());
      return Future.succeededFuture();
    }
    String replyAddress = frame.getString("replyAddress");
    return bus.request(command, session.actor, stamped).andThen(result -> {
      if (replyAddress == null) {
        return;
      }
      if (result.succeeded()) {
        reply(session, replyAddress, result.result());
      } else {
        ErrorCode code = ErrorCode.of(result.cause());
        session.send(failure(replyAddress, code, result.cause().getMessage()));
      }
    });
  }

  private static void reply(Session session, String replyAddress, Object body) {
    if (replyAddress != null) {
      session.send(new JsonObject().put("type", session.wire.deliveryType()).put("address", replyAddress).put("body", body));
    }
  }

  /** An API key's socket uses only what its scopes cover, in the codelab it is limited to; sessions pass. */
  private static boolean keyAllows(Session session, Address address, String codelabId) {
    if (!Tokens.isApiKey(session.claims)) {
      return true;
    }
    return Scope.needed(address).filter(scope -> Tokens.allows(session.claims, scope)).isPresent()
      && Tokens.reaches(session.claims, codelabId);
  }

  /** The generic error frame, also addressed to the reply address so the client's callback fires. */
  private static void reject(Session session, JsonObject frame, ErrorCode code, String reason) {
    String replyAddress = frame.getString("replyAddress");
    session.send(failure(replyAddress, code, reason).put("body", reason));
  }

  private static JsonObject failure(String replyAddress, ErrorCode code, String message) {
    return new JsonObject().put("type", "err").put("address", replyAddress).put("failureCode", code.code)
      .put("failureType", "RECIPIENT_FAILURE").put("message", message);
  }

  private static void denied(Session session, String address) {
    session.send(new JsonObject().put("type", "err").put("body", ACCESS_DENIED).put("address", address));
  }
}

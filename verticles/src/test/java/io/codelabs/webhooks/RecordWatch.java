package io.codelabs.webhooks;

import io.codelabs.bus.Address;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Watches the record commands on the node's bus from its start: keeps them, tells when the writer answered one, and can
 * hold the next one back from the writer until released.
 */
final class RecordWatch implements AutoCloseable {
  private final Vertx vertx;
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
  private final List<JsonObject> commands = new CopyOnWriteArrayList<>();
  private final Set<String> awaitedReplies = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<String> answered = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> released = new CompletableFuture<>();
  private volatile boolean holdNext;

  private RecordWatch(Vertx vertx) {
    this.vertx = vertx;
  }

  static RecordWatch of(Vertx vertx) {
    RecordWatch watch = new RecordWatch(vertx);
    vertx.eventBus().addInboundInterceptor(watch.interceptor);
    return watch;
  }

  /** The next record command waits until {@link #release()}; the ones after it queue behind it in the endpoint. */
  RecordWatch holdNext() {
    holdNext = true;
    return this;
  }

  void release() {
    released.complete(null);
  }

  List<JsonObject> commandsFor(String webhookId) {
    return commands.stream().filter(command -> webhookId.equals(command.getString("webhookId"))).toList();
  }

  /** Whether the writer answered a record command within the time; each answer is told once. */
  boolean nextAnswer(long timeout, TimeUnit unit) throws InterruptedException {
    return answered.poll(timeout, unit) != null;
  }

  private void intercept(DeliveryContext<Object> delivery) {
    String address = delivery.message().address();
    if (awaitedReplies.remove(address)) {
      answered.add(address);
    } else if (Address.WEBHOOK_RECORD.address.equals(address)
      && delivery.body() instanceof JsonObject command) {
      commands.add(command.copy());
      awaitedReplies.add(delivery.message().replyAddress());
      if (holdNext) {
        holdNext = false;
        Context context = Vertx.currentContext();
        released.thenRun(() -> context.runOnContext(v -> delivery.next()));
        return;
      }
    }
    delivery.next();
  }

  @Override
  public void close() {
    vertx.eventBus().removeInboundInterceptor(interceptor);
  }
}

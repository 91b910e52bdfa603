package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeConfig;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.SharedConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One core node that leads a log of its own: what reaches its router goes to its writer, what another core node
 * forwards is checked first, and with the writer gone the router answers busy at once.
 */
@DisplayName("A core node's router")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoreRouterTest {
  private static final DeliveryOptions TWO_SECONDS = new DeliveryOptions().setSendTimeout(2_000);

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("takes the writer's addresses and checked forwards to the writer, and answers busy once the writer is gone")
  void routes(Vertx vertx, VertxTestContext testContext) throws Exception {
    JsonObject config = NodeConfig.of(new JsonObject().put(SharedConfig.DATA_DIR, dataDir.toString())).json()
      .put(CoreReplica.PEERS, "core0=127.0.0.1:" + freePort()).put(CoreReplica.ID, "core0");
    Checkpoint direct = testContext.checkpoint();
    Checkpoint forwarded = testContext.checkpoint();
    Checkpoint refused = testContext.checkpoint();
    Checkpoint pinged = testContext.checkpoint();
    Checkpoint busy = testContext.checkpoint();
    Checkpoint stopped = testContext.checkpoint();
    Promise<Void> leads = Promise.promise();
    String forward = Address.CORE_FORWARD.of("core0");

    CoreReplica.start(vertx, config, leading -> {
      if (leading) {
        leads.tryComplete();
      }
    }).compose(replica -> leads.future().compose(led -> vertx.deployVerticle(new PersistenceVerticle(replica),
        new DeploymentOptions().setConfig(config)))
      .compose(writer -> CoreRouter.start(vertx, config, replica)
        .compose(router -> status(vertx, Address.WRITER_STATUS.address, TWO_SECONDS)
          .onSuccess(reply -> testContext.verify(() -> {
            assertThat(reply.getLong("term")).isPositive();
            direct.flag();
          }))
          .compose(reply -> status(vertx, forward, forwardOf(Address.WRITER_STATUS.address)))
          .onSuccess(reply -> testContext.verify(() -> {
            assertThat(reply.getLong("term")).isPositive();
            forwarded.flag();
          }))
          .compose(reply -> failure(vertx, forward, forwardOf(Address.UPLOAD_IMPORT.address)))
          .onSuccess(failure -> testContext.verify(() -> {
            assertThat(failure.failureCode()).isEqualTo(ErrorCode.INVALID.code);
            refused.flag();
          }))
          .compose(failure -> status(vertx, forward, TWO_SECONDS))
          .onSuccess(reply -> testContext.verify(() -> {
            assertThat(reply).isEqualTo(new JsonObject());
            pinged.flag();
          }))
          .compose(reply -> vertx.undeploy(writer))
          .compose(undeployed -> {
            long asked = System.nanoTime();
            return failure(vertx, Address.WRITER_STATUS.address, TWO_SECONDS).onSuccess(failure -> testContext.verify(() -> {
              assertThat(failure.failureCode()).isEqualTo(ErrorCode.BUSY.code);
              assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("answered at once").isLessThan(1_000);
              busy.flag();
            }));
          })
          .compose(failure -> router.stop())
          .eventually(() -> replica.stop(vertx)))))
      // The test ends here, not before: its directory is deleted once it ends, and the node's files must be closed.
      .onSuccess(closed -> stopped.flag())
      .onFailure(testContext::failNow);
  }

  private static DeliveryOptions forwardOf(String address) {
    return new DeliveryOptions(TWO_SECONDS).addHeader(CoreRouter.ADDRESS_HEADER, address);
  }

  private static Future<JsonObject> status(Vertx vertx, String address, DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject(), options).map(message -> message.body());
  }

  private static Future<ReplyException> failure(Vertx vertx, String address, DeliveryOptions options) {
    return vertx.eventBus().request(address, new JsonObject(), options).transform(answer -> answer.succeeded()
      ? Future.failedFuture(new AssertionError(address + " answered " + answer.result().body()))
      : Future.succeededFuture((ReplyException) answer.cause()));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

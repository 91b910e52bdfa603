package io.codelabs.persistence;

import static io.codelabs.persistence.CoreTrio.HASH;
import static io.codelabs.persistence.CoreTrio.admin;
import static io.codelabs.persistence.CoreTrio.caughtUp;
import static io.codelabs.persistence.CoreTrio.codelabs;
import static io.codelabs.persistence.CoreTrio.createCodelabs;
import static io.codelabs.persistence.CoreTrio.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three core nodes, each with its own Vert.x and so its own event bus: a follower's router cannot hand a read to the
 * leader over the bus, so every answer it gives comes from its own file, after the log's read barrier.
 */
@DisplayName("Reads on a follower")
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FollowerReadsTest {
  private static final int WRITES = 20;
  private static final int SNAPSHOT_EVERY = 8;
  /** The snapshot test's: one before the follower stops, two rounds while it is stopped, and the chat's own. */
  private static final int CODELABS = 1 + SNAPSHOT_EVERY * 4 + 1;

  @TempDir
  Path dir;
  @RegisterExtension
  final CoreTrio.Fixture trios = new CoreTrio.Fixture();

  @Test
  @DisplayName("see each write acknowledged just before them, from the follower's own file, and are answered busy without a majority")
  void readAfterWrite(VertxTestContext testContext) throws Exception {
    Checkpoint everyReadSawItsWrite = testContext.checkpoint();
    Checkpoint busyWithoutLeader = testContext.checkpoint();
    trios.start(dir)
      .compose(trio -> {
        Vertx writerNode = trio.leaderNode();
        List<Vertx> followers = trio.followers().stream().map(trio.nodes::get).toList();
        return admin(writerNode, followers.get(0))
          .compose(actor -> writeThenRead(writerNode, followers, actor, 0)
          .onSuccess(read -> everyReadSawItsWrite.flag())
          .compose(read -> trio.replicas.get(trio.leader).stop(writerNode))
          .compose(stopped -> trio.replicas.get(trio.followers().get(1)).stop(followers.get(1)))
          .compose(stopped -> {
            long asked = System.nanoTime();
            return request(followers.get(0), Address.CODELAB_LIST, new JsonObject().put("actor", actor))
              .transform(answer -> answer.succeeded()
                ? Future.failedFuture(new AssertionError("A follower without a majority answered " + answer.result()))
                : Future.succeededFuture(answer.cause()))
              .onSuccess(failure -> testContext.verify(() -> {
                assertThat(failure).isInstanceOf(ReplyException.class);
                assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.BUSY.code);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("answered within the barrier's wait")
                  .isLessThan(3_000);
                busyWithoutLeader.flag();
              }));
          }));
      })
      .onFailure(testContext::failNow);
  }

  @Test
  @DisplayName("a snapshot installed on a follower reaches the readers it already had open, closing them leaves the file"
    + " whole, and the follower, once it leads, knows the keys that came with the snapshot")
  void snapshotUnderOpenReaders(VertxTestContext testContext) throws Exception {
    Checkpoint openReaderSawSnapshot = testContext.checkpoint();
    Checkpoint retryAnsweredAsDuplicate = testContext.checkpoint();
    trios.start(dir, SNAPSHOT_EVERY).compose(trio -> {
      Vertx writerNode = trio.leaderNode();
      int lagging = trio.followers().get(0);
      int next = trio.followers().get(1);
      Vertx nextNode = trio.nodes.get(next);
      Path laggingFile = dir.resolve("core" + lagging);
      Connection[] openReader = new Connection[1];
      JsonObject[] chatWhileLagging = new JsonObject[1];
      return admin(writerNode, writerNode)
        .compose(actor -> createCodelabs(writerNode, actor, 1, "text")
          .compose(created -> Future.fromCompletionStage(trio.replicas.get(lagging).readBarrier()))
          .compose(caughtUp -> writerNode.executeBlocking(() -> {
            openReader[0] = Database.readerDataSource(laggingFile).getConnection();
            return codelabs(openReader[0]);
          }))
          .onSuccess(before -> testContext.verify(() -> assertThat(before).isEqualTo(1)))
          .compose(before -> trio.replicas.get(lagging).stop(trio.nodes.get(lagging)))
          .compose(stopped -> createCodelabs(writerNode, actor, SNAPSHOT_EVERY * 2, "text"))
          .compose(created -> keyedChat(writerNode, actor))
          .onSuccess(chat -> chatWhileLagging[0] = chat)
          // A new term closes the log's open segment; only closed segments are purged up to a snapshot, and only a
          // purged log makes the leader send the lagging node a snapshot instead of the entries it missed.
          .compose(created -> trio.moveLeadership(next))
          .compose(leads -> nextNode.deployVerticle(new PersistenceVerticle(trio.replicas.get(next)),
            new DeploymentOptions().setConfig(trio.configs.get(next))))
          .compose(writer -> createCodelabs(nextNode, actor, SNAPSHOT_EVERY * 2, "text"))
          .compose(created -> CoreReplica.start(trio.nodes.get(lagging), trio.configs.get(lagging), leading -> { })))
        .compose(restarted -> {
          trio.replicas.set(lagging, restarted);
          return caughtUp(trio.nodes.get(lagging), restarted, System.nanoTime() + TimeUnit.SECONDS.toNanos(30))
            .compose(caughtUp -> trio.routers.get(lagging).stop())
            .compose(stopped -> CoreRouter.start(trio.nodes.get(lagging), trio.configs.get(lagging), restarted))
            .map(router -> {
              trio.routers.set(lagging, router);
              return restarted;
            });
        })
        .compose(restarted -> writerNode.executeBlocking(() -> {
          int seenByOpenReader = codelabs(openReader[0]);
          openReader[0].close();
          try (Connection fresh = Database.readerDataSource(laggingFile).getConnection()) {
            return new JsonObject().put("installed", restarted.identityChanges()).put("openReader", seenByOpenReader)
              .put("file", codelabs(fresh)).put("integrity", FileRows.one(fresh, "PRAGMA integrity_check"));
          }
        }))
        .onSuccess(seen -> testContext.verify(() -> {
          assertThat(seen.getLong("installed")).as("snapshots installed on the restarted follower").isPositive();
          assertThat(seen.getInteger("openReader")).as("codelabs the reader opened before the snapshot sees")
            .isEqualTo(CODELABS);
          assertThat(seen.getInteger("file")).as("codelabs in the file once that reader closed")
            .isEqualTo(CODELABS);
          assertThat(seen.getString("integrity")).isEqualTo("ok");
          openReaderSawSnapshot.flag();
        }))
        .compose(seen -> trio.moveLeadership(lagging))
        .compose(leads -> trio.nodes.get(lagging).deployVerticle(new PersistenceVerticle(trio.replicas.get(lagging)),
          new DeploymentOptions().setConfig(trio.configs.get(lagging))))
        .compose(writer -> request(trio.nodes.get(lagging), Address.CHAT_SEND, chatWhileLagging[0]))
        .onSuccess(retry -> testContext.verify(() -> {
          assertThat(retry.getBoolean("duplicate")).as("a chat message sent while this node lagged, sent again").isTrue();
          retryAnsweredAsDuplicate.flag();
        }));
    }).onFailure(testContext::failNow);
  }

  /** An attendee joins a codelab of their own and sends a chat message with a key; answers that message's request. */
  private static Future<JsonObject> keyedChat(Vertx writerNode, JsonObject facilitator) {
    JsonArray steps = new JsonArray().add(new JsonObject().put("title", "Step").put("markdown", "text")
      .put("html", "<p>text</p>").put("durationMinutes", 5));
    return request(writerNode, Address.CODELAB_CREATE, new JsonObject().put("actor", facilitator).put("title", "Chat lab")
        .put("steps", steps))
      .map(created -> created.getString("codelabId"))
      .compose(codelabId -> request(writerNode, Address.ATTENDEE_JOIN, new JsonObject().put("codelabId", codelabId)
          .put("nickname", "lagged").put("codeHash", HASH))
        .map(joined -> new JsonObject().put("codelabId", codelabId).put("eventId", "chat-while-lagging").put("text", "hi")
          .put("actor", Actor.attendee(joined.getJsonObject("attendee").getString("id"), codelabId, "lagged").toJson())))
      .compose(chat -> request(writerNode, Address.CHAT_SEND, chat).map(first -> {
        assertThat(first.getBoolean("duplicate")).as("the chat message's first send").isFalse();
        return chat;
      }));
  }

  /** Each codelab is read on a follower the moment the leader acknowledged it; the followers take turns. */
  private Future<Void> writeThenRead(Vertx writerNode, List<Vertx> followers, JsonObject actor, int count) {
    if (count == WRITES) {
      return Future.succeededFuture();
    }
    String title = "Lab " + count;
    JsonArray steps = new JsonArray().add(new JsonObject().put("title", "Step").put("markdown", "text")
      .put("html", "<p>text</p>").put("durationMinutes", 5));
    return request(writerNode, Address.CODELAB_CREATE, new JsonObject().put("actor", actor).put("title", title)
        .put("steps", steps))
      .compose(created -> request(followers.get(count % 2), Address.CODELAB_GET, new JsonObject().put("actor", actor)
        .put("codelabId", created.getString("codelabId"))))
      .compose(codelab -> {
        assertThat(codelab.getString("title")).isEqualTo(title);
        return writeThenRead(writerNode, followers, actor, count + 1);
      });
  }
}

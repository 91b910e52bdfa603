package io.codelabs.persistence;

import static io.codelabs.persistence.CoreTrio.admin;
import static io.codelabs.persistence.CoreTrio.caughtUp;
import static io.codelabs.persistence.CoreTrio.codelabs;
import static io.codelabs.persistence.CoreTrio.createCodelabs;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core nodes keep only the last segments of the replicated log in memory; a follower that missed more than that gets
 * the rest from the leader's files on disk, entry by entry, not a snapshot.
 */
@DisplayName("A follower that missed more of the log than a core node keeps in memory")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaggingFollowerTest {
  /** Markdown and its HTML, about 300 KB an entry: past the segments kept in memory in a few dozen entries. */
  private static final String TEXT = "x".repeat(150_000);
  private static final long MISSED_BYTES = CoreReplica.LOG_SEGMENT.getSize() * (CoreReplica.LOG_SEGMENTS_CACHED + 1);
  private static final int CODELABS = (int) (MISSED_BYTES / (2 * TEXT.length())) + 1;

  @TempDir
  Path dir;
  @RegisterExtension
  final CoreTrio.Fixture trios = new CoreTrio.Fixture();

  @Test
  @DisplayName("catches up from the leader's log files, and its file then holds every codelab the others hold")
  void catchesUpFromTheLogOnDisk(VertxTestContext testContext) throws Exception {
    Checkpoint logRolledPastMemory = testContext.checkpoint();
    Checkpoint caughtUpWithoutSnapshot = testContext.checkpoint();
    trios.start(dir).compose(trio -> {
      Vertx writerNode = trio.leaderNode();
      int lagging = trio.followers().get(0);
      Vertx laggingNode = trio.nodes.get(lagging);
      return admin(writerNode, writerNode)
        // Stopped once it applied all that came before, so what it applies on its return is only what it missed.
        .compose(actor -> Future.fromCompletionStage(trio.replicas.get(lagging).readBarrier())
          .compose(applied -> trio.replicas.get(lagging).stop(laggingNode))
          .compose(stopped -> createCodelabs(writerNode, actor, CODELABS, TEXT)))
        .compose(created -> writerNode.executeBlocking(() -> closedSegments(dir.resolve("core" + trio.leader))))
        .onSuccess(closed -> testContext.verify(() -> {
          assertThat(closed).as("closed log segments on the leader's disk").isGreaterThan(CoreReplica.LOG_SEGMENTS_CACHED);
          logRolledPastMemory.flag();
        }))
        .compose(closed -> CoreReplica.start(laggingNode, trio.configs.get(lagging), leading -> { }))
        .compose(restarted -> {
          trio.replicas.set(lagging, restarted);
          return caughtUp(laggingNode, restarted, System.nanoTime() + TimeUnit.SECONDS.toNanos(60))
            .compose(caughtUp -> laggingNode.executeBlocking(() -> new JsonObject()
              .put("snapshots", restarted.identityChanges())
              .put("lagging", codelabsIn(dir.resolve("core" + lagging)))
              .put("leader", codelabsIn(dir.resolve("core" + trio.leader)))));
        })
        .onSuccess(seen -> testContext.verify(() -> {
          assertThat(seen.getLong("snapshots")).as("snapshots installed on the lagging follower").isZero();
          assertThat(seen.getInteger("lagging")).as("codelabs in the lagging follower's file")
            .isEqualTo(CODELABS).isEqualTo(seen.getInteger("leader"));
          caughtUpWithoutSnapshot.flag();
        }));
    }).onFailure(testContext::failNow);
  }

  /** Ratis names a closed segment {@code log_<first>-<last>} and the open one {@code log_inprogress_<first>}. */
  private static long closedSegments(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.resolve("raft"))) {
      return files.map(file -> file.getFileName().toString()).filter(name -> name.matches("log_\\d+-\\d+")).count();
    }
  }

  private static int codelabsIn(Path dataDir) throws Exception {
    try (Connection connection = Database.readerDataSource(dataDir).getConnection()) {
      return codelabs(connection);
    }
  }
}

package io.codelabs.persistence;

import static io.codelabs.persistence.CoreTrio.admin;
import static io.codelabs.persistence.CoreTrio.createCodelabs;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each entry of the log costs every core node an append and a sync: a batch must be one entry, not two (Ratis' default
 * follows every commit with an entry recording the commit index).
 */
@DisplayName("A batch in the replicated log")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogEntryTest {
  /** Written one after the other, so each is a batch of its own. */
  private static final int WRITES = 20;

  @TempDir
  Path dir;
  @RegisterExtension
  final CoreTrio.Fixture trios = new CoreTrio.Fixture();

  @Test
  @DisplayName("is one entry: writes acknowledged one after the other move the leader's applied index once each")
  void oneEntryEach(VertxTestContext testContext) throws Exception {
    Checkpoint oneEntryPerBatch = testContext.checkpoint();
    trios.start(dir).compose(trio -> {
      Vertx writerNode = trio.leaderNode();
      CoreReplica leader = trio.replicas.get(trio.leader);
      return admin(writerNode, writerNode).compose(actor -> {
        long before = leader.members().getLong("appliedIndex");
        return createCodelabs(writerNode, actor, WRITES, "text")
          .onSuccess(written -> testContext.verify(() -> {
            // Two entries a batch would move it by at least 2 * WRITES - 1; the writer's own upkeep may add a few.
            assertThat(leader.members().getLong("appliedIndex") - before).as("entries applied for %d batches", WRITES)
              .isBetween((long) WRITES, WRITES + WRITES / 2L);
            oneEntryPerBatch.flag();
          }));
      });
    }).onFailure(testContext::failNow);
  }
}

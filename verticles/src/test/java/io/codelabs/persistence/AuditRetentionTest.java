package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The audit log is kept for its retention period")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditRetentionTest {
  private static final long DAY_MS = 24L * 3_600_000;
  private static final int OLD_ENTRIES = 2 * AuditCommands.PRUNE_BATCH + 500;

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("a writer that starts prunes every entry past the retention days, in batches, and keeps the rest")
  void prunesPastRetention(VertxTestContext testContext) throws SQLException {
    Database.migrate(dataDir);
    long now = System.currentTimeMillis();
    insert(OLD_ENTRIES, now - 31 * DAY_MS);
    insert(3, now - 29 * DAY_MS);
    Node node = TestNode.start(dataDir, new JsonObject().put(PersistenceVerticle.AUDIT_RETENTION_DAYS, 30));
    Checkpoint pruned = testContext.checkpoint();
    // The writer prunes in batches after it started; each batch is its own transaction.
    node.vertx.setPeriodic(20, timer -> node.vertx.executeBlocking(() -> count("SELECT count(*) FROM audit_log "
        + "WHERE action = 'material.add'"), false)
      .onComplete(testContext.succeeding(left -> {
        if (left == 3) {
          node.vertx.cancelTimer(timer);
          testContext.verify(() -> {
            assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'material.add' AND at < "
              + (now - 30 * DAY_MS))).isZero();
            assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'facilitator.create'"))
              .as("the first account's creation, written at start").isEqualTo(1);
          });
          node.stop().onComplete(testContext.succeeding(stopped -> pruned.flag()));
        }
      })));
  }

  private void insert(int count, long at) throws SQLException {
    try (Connection db = DriverManager.getConnection(Database.url(dataDir))) {
      db.setAutoCommit(false);
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO audit_log (at, actor_role, actor_id, action, "
        + "codelab_id, detail) VALUES (?, 'FACILITATOR', 'f1', 'material.add', 'c1', '{}')")) {
        for (int i = 0; i < count; i++) {
          insert.setLong(1, at);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      db.commit();
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection db = DriverManager.getConnection(Database.url(dataDir));
         PreparedStatement query = db.prepareStatement(sql);
         ResultSet row = query.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }
}

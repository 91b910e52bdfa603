package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.persistence.PersistenceVerticle;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Scheduled backups")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScheduledBackupTest {
  @TempDir
  static Path dataDir;
  private static Node node;
  private static Http http;
  private static String admin;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(dataDir, new JsonObject()
      .put(PersistenceVerticle.BACKUP_INTERVAL_SECONDS, 1)
      .put(PersistenceVerticle.BACKUP_KEEP, 2));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @AfterAll
  static void stopNode() {
    http.close();
    node.stop().await();
  }

  @Test
  @DisplayName("the writer backs up on its interval into the data dir, audits it as the system and keeps the newest two")
  void backsUpOnItsInterval() throws Exception {
    List<String> first = listedUntil(ids -> ids.size() == 2);
    List<String> later = listedUntil(ids -> ids.size() == 2 && !ids.contains(first.get(1)));
    assertThat(later).doesNotContain(first.get(1));
    assertThat(dataDir.resolve("backups").resolve(first.get(1))).doesNotExist();

    Path newest = dataDir.resolve("backups").resolve(later.get(0)).resolve("codelabs.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + newest);
         Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT actor_role, detail FROM audit_log "
           + "WHERE action = 'instance.backup' ORDER BY id DESC LIMIT 1")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo("SYSTEM");
      assertThat(new JsonObject(row.getString(2)).getString("backupId")).isEqualTo(later.get(0));
    }
  }

  /** The complete backups, newest first, once they match: the schedule is what makes them. */
  private static List<String> listedUntil(Predicate<List<String>> done) {
    for (;;) {
      List<String> complete = http.get("/api/backups", admin).json().getJsonArray("backups").stream()
        .map(JsonObject.class::cast).filter(b -> "complete".equals(b.getString("status")))
        .map(b -> b.getString("id")).toList();
      if (done.test(complete)) {
        return complete;
      }
      Promise<Void> later = Promise.promise();
      node.vertx.setTimer(100, timer -> later.complete());
      later.future().await();
    }
  }
}

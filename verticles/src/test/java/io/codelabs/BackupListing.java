package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The admin's view of backups through {@code /api/backups}, the only place a backup's end shows. */
public final class BackupListing {
  private BackupListing() {
  }

  public static List<JsonObject> backups(Http http, String admin) {
    Http.Response listed = http.get("/api/backups", admin);
    assertThat(listed.status()).as(listed.text()).isEqualTo(200);
    return listed.json().getJsonArray("backups").stream().map(JsonObject.class::cast).toList();
  }

  /** Asks again until the backup is complete; a failed one fails the test with its error. */
  public static JsonObject completed(Vertx vertx, Http http, String admin, String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonObject backup = backups(http, admin).stream().filter(b -> id.equals(b.getString("id"))).findFirst()
        .orElseThrow();
      if ("complete".equals(backup.getString("status"))) {
        return backup;
      }
      assertThat(backup.getString("status")).as(backup.encode()).isEqualTo("running");
      Promise<Void> later = Promise.promise();
      vertx.setTimer(25, timer -> later.complete());
      later.future().await();
    }
    throw new AssertionError("Backup " + id + " did not complete");
  }

  /** Starts a backup as the admin and waits until it is complete. */
  public static JsonObject backUp(Vertx vertx, Http http, String admin) {
    Http.Response started = http.post("/api/backups", admin, new JsonObject());
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    return completed(vertx, http, admin, started.json().getString("id"));
  }
}

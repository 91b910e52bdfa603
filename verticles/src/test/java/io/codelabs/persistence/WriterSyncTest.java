package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.metrics.Meters;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The writer's own file at synchronous=FULL: a batch is committed by the writer and synced by a second thread. */
@ExtendWith(VertxExtension.class)
@DisplayName("The writer's syncs")
class WriterSyncTest {
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  private static final String BOOTSTRAP = Address.FACILITATOR_BOOTSTRAP.address;

  @TempDir
  Path dataDir;
  private GatedSync log;
  private Writer writer;
  private final Promise<Void> fenced = Promise.promise();

  @BeforeEach
  void writer(Vertx vertx) throws Exception {
    Database.migrate(dataDir);
    Connection connection = OwnFile.connect(dataDir, "FULL");
    long term = OwnFile.takeLease(connection, "test");
    log = new GatedSync(new OwnFile(connection, dataDir, "FULL", "epoch", term));
    Map<String, Writer.Command> commands = new HashMap<>();
    WriteCommands.all().forEach((address, command) -> commands.put(address.address, command));
    writer = new Writer(log, commands, fenced::tryComplete, vertx.getOrCreateContext(), vertx.eventBus(),
      Meters.of(vertx).writer, 16, 8);
    writer.start();
  }

  @AfterEach
  void close() throws Exception {
    log.release.complete(null);
    writer.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a command is answered only once a sync that began after its commit returned, not at the commit")
  void answeredAfterSync(VertxTestContext test) throws Exception {
    Checkpoint committedNotAnswered = test.checkpoint();
    Checkpoint answeredAfterSync = test.checkpoint();
    writer.submit(BOOTSTRAP, admin()).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(log.release).as("the sync returned").isDone();
      answeredAfterSync.flag();
    })));

    log.syncing.get(10, TimeUnit.SECONDS);
    assertThat(facilitators()).as("committed to the file before the sync").isEqualTo(1);
    committedNotAnswered.flag();
    log.release.complete(null);
  }

  @Test
  @DisplayName("a sync that fails leaves the write unknown (504), stops the writer and says it stopped")
  void failedSyncStopsTheWriter(VertxTestContext test) throws Exception {
    Checkpoint unknown = test.checkpoint();
    Checkpoint stopped = test.checkpoint();
    Checkpoint laterRefused = test.checkpoint();
    log.release.completeExceptionally(new IOException("EIO"));
    writer.submit(BOOTSTRAP, admin()).onComplete(test.failing(failure -> test.verify(() -> {
      assertThat(ErrorCode.of(failure)).isEqualTo(ErrorCode.TIMEOUT);
      unknown.flag();
    })));
    fenced.future().onComplete(test.succeeding(v -> {
      stopped.flag();
      writer.submit(BOOTSTRAP, admin().put("username", "later")).onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(ErrorCode.of(failure)).isEqualTo(ErrorCode.BUSY);
        laterRefused.flag();
      })));
    }));
  }

  private static JsonObject admin() {
    return new JsonObject().put("username", "admin").put("passwordHash", HASH);
  }

  private int facilitators() throws Exception {
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir))) {
      return Integer.parseInt(FileRows.one(connection, "SELECT count(*) FROM facilitators"));
    }
  }

  /** The real file, whose syncs wait until the test releases them, or fail with what the test gives. */
  private static final class GatedSync implements Writer.BatchLog {
    private final OwnFile file;
    final CompletableFuture<Void> syncing = new CompletableFuture<>();
    final CompletableFuture<Void> release = new CompletableFuture<>();

    GatedSync(OwnFile file) {
      this.file = file;
    }

    @Override
    public List<BatchRunner.Outcome> commit(List<Writer.Pending> batch, long now, byte[] seed) throws Writer.Fenced {
      return file.commit(batch, now, seed);
    }

    @Override
    public void sync() throws IOException {
      syncing.complete(null);
      try {
        release.get();
      } catch (ExecutionException e) {
        throw (IOException) e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      file.sync();
    }

    @Override
    public void maintain(Writer.Maintenance work) throws SQLException, Writer.Fenced {
      file.maintain(work);
    }

    @Override
    public void checkIdle() throws SQLException, Writer.Fenced {
      file.checkIdle();
    }

    @Override
    public void close() throws SQLException {
      file.close();
    }
  }
}

package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeConfig;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.codelabs.bus.SharedConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The single writer")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PersistenceVerticleTest {
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("many concurrent commands commit in few transactions, each acked only once it is readable")
  void groupCommit(Vertx vertx, VertxTestContext test) throws InterruptedException {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 50);
    long batchesBefore = bus.request(Address.WRITER_STATUS, new JsonObject()).await().getLong("batches");
    int perAttendee = 20;
    Checkpoint acked = test.checkpoint(50 * perAttendee);
    Checkpoint readableAfterAck = test.checkpoint(50 * perAttendee);
    for (int round = 0; round < perAttendee; round++) {
      for (Actor attendee : workshop.attendees) {
        int step = round % 3;
        bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject().put("codelabId", workshop.codelabId)
            .put("step", step).put("completed", true))
          .compose(reply -> {
            acked.flag();
            return bus.request(Address.ATTENDEE_LIST, workshop.owner, new JsonObject().put("codelabId", workshop.codelabId))
              .map(list -> list.getJsonArray("attendees").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("id").equals(attendee.id())).findFirst().orElseThrow())
              .map(row -> row.getJsonArray("completedSteps").contains(step));
          })
          .onComplete(test.succeeding(readable -> test.verify(() -> {
            assertThat(readable).isTrue();
            readableAfterAck.flag();
          })));
      }
    }
    test.awaitCompletion(50, TimeUnit.SECONDS);
    long batches = bus.request(Address.WRITER_STATUS, new JsonObject()).await().getLong("batches") - batchesBefore;
    assertThat(batches).as("transactions for %d commands", 50 * perAttendee).isLessThanOrEqualTo(50 * perAttendee / 5);
  }

  @Test
  @DisplayName("past the queue bound the writer answers busy at once and loses nothing it accepted")
  void busyWhenFull(Vertx vertx, VertxTestContext test) throws InterruptedException {
    BusClient bus = deploy(vertx, new JsonObject().put(PersistenceVerticle.QUEUE_SIZE, 4));
    Workshop workshop = Workshop.create(bus, 1);
    Actor attendee = workshop.attendees.get(0);
    int commands = 400;
    AtomicInteger busy = new AtomicInteger();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Checkpoint answered = test.checkpoint(commands);
    for (int i = 0; i < commands; i++) {
      String eventId = "chat-" + String.format("%06d", i);
      bus.request(Address.CHAT_SEND, attendee, new JsonObject().put("codelabId", workshop.codelabId)
          .put("eventId", eventId).put("text", "message " + i))
        .onComplete(reply -> {
          accepted.add(eventId);
          answered.flag();
        }, failure -> test.verify(() -> {
          assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.BUSY.code);
          busy.incrementAndGet();
          answered.flag();
        }));
    }
    test.awaitCompletion(30, TimeUnit.SECONDS);
    assertThat(busy.get()).isPositive();
    assertThat(accepted).isNotEmpty();
    JsonArray history = bus.request(Address.CHAT_HISTORY, attendee, new JsonObject()
      .put("codelabId", workshop.codelabId).put("limit", 500)).await().getJsonArray("messages");
    assertThat(history).hasSize(accepted.size());
  }

  @Test
  @DisplayName("seq is contiguous per codelab under concurrent writes to several codelabs")
  void contiguousSeq(Vertx vertx) {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop first = Workshop.create(bus, 10);
    Workshop second = Workshop.create(bus, 10);
    List<Future<JsonObject>> writes = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      for (Workshop workshop : List.of(first, second)) {
        for (Actor attendee : workshop.attendees) {
          writes.add(bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject()
            .put("codelabId", workshop.codelabId).put("step", (round + 1) % 3)));
          writes.add(bus.request(Address.CHAT_SEND, attendee, new JsonObject()
            .put("codelabId", workshop.codelabId).put("text", "r" + round)));
        }
      }
    }
    Future.all(writes).await();
    for (Workshop workshop : List.of(first, second)) {
      JsonObject log = bus.request(Address.EVENTS_SINCE, workshop.owner, new JsonObject()
        .put("codelabId", workshop.codelabId).put("after", 0).put("limit", 1000)).await();
      List<Long> seqs = log.getJsonArray("events").stream().map(e -> ((JsonObject) e).getLong("seq")).toList();
      assertThat(seqs).hasSize(10 + 10 * 10 * 2);
      assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    }
  }

  @Test
  @DisplayName("a progress report failing after it appended in memory fails alone and leaves no event and no gap")
  void failedInMemoryCommandIsUndone(Vertx vertx) throws Exception {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 5);
    reportAll(bus, workshop, 1, false).forEach(report -> report.await());
    Actor failing = workshop.attendees.get(0);
    // The writer's memory does not know this row, so the report's own insert of it fails after its event was appended.
    execute("INSERT INTO step_completions (attendee_id, step, completed_at) VALUES ('" + failing.id() + "', 2, 0)");

    List<Future<JsonObject>> reports = reportAll(bus, workshop, 2, true);

    Throwable refused = reports.get(0).map(reply -> (Throwable) null).otherwise(failure -> failure).await();
    assertThat(ErrorCode.of(refused)).isEqualTo(ErrorCode.INTERNAL);
    reports.subList(1, reports.size()).forEach(report -> report.await());
    assertThat(attendeeRow(bus, workshop, failing).getInteger("currentStep")).isEqualTo(1);
    reportAll(bus, workshop, 0, false).forEach(report -> report.await());
    List<Long> seqs = committedSeqs(workshop.codelabId);
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    JsonArray events = bus.request(Address.EVENTS_SINCE, workshop.owner, new JsonObject()
      .put("codelabId", workshop.codelabId).put("after", 0).put("limit", 1000)).await().getJsonArray("events");
    assertThat(events.stream().map(JsonObject.class::cast)
      .filter(event -> event.getJsonObject("data").getInteger("step", -1) == 2)
      .map(event -> event.getJsonObject("data").getString("attendeeId")))
      .hasSize(2 * 4).doesNotContain(failing.id());
  }

  @Test
  @DisplayName("when a batch's appended rows cannot be written, only the commands of those rows fail; seq stays contiguous, also after a restart")
  void failedFlushRollsBackCounters(Vertx vertx) throws Exception {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop blocked = Workshop.create(bus, 3);
    Workshop other = Workshop.create(bus, 3);
    reportAll(bus, blocked, 1, false).forEach(report -> report.await());
    long next = committedSeqs(blocked.codelabId).size() + 1;
    // A row in the seq the writer hands out next makes writing the batch's rows fail.
    execute("INSERT INTO events (codelab_id, seq, stream, stream_seq, type, actor_role, actor_id, payload, created_at) "
      + "VALUES ('" + blocked.codelabId + "', " + next + ", 'facilitators', 0, 'planted', 'ATTENDEE', 'x', '{}', 0)");

    List<Future<JsonObject>> failing = reportAll(bus, blocked, 2, false);
    List<Future<JsonObject>> passing = reportAll(bus, other, 2, false);

    passing.forEach(report -> report.await());
    for (Future<JsonObject> report : failing) {
      assertThat(ErrorCode.of(report.map(reply -> (Throwable) null).otherwise(f -> f).await())).isEqualTo(ErrorCode.INTERNAL);
    }
    execute("DELETE FROM events WHERE type = 'planted'");
    reportAll(bus, blocked, 2, false).forEach(report -> report.await());
    assertThat(committedSeqs(blocked.codelabId)).containsExactlyElementsOf(LongStream.range(1, next + 3).boxed().toList());

    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await();
    BusClient again = deploy(vertx, new JsonObject());
    reportAll(again, blocked, 0, true).forEach(report -> report.await());
    reportAll(again, other, 0, true).forEach(report -> report.await());
    assertThat(committedSeqs(blocked.codelabId)).containsExactlyElementsOf(LongStream.range(1, next + 9).boxed().toList());
    List<Long> otherSeqs = committedSeqs(other.codelabId);
    assertThat(otherSeqs).containsExactlyElementsOf(LongStream.rangeClosed(1, otherSeqs.size()).boxed().toList());
    for (Actor attendee : blocked.attendees) {
      assertThat(attendeeRow(again, blocked, attendee).getInteger("currentStep")).isZero();
    }
  }

  @Test
  @DisplayName("chat, help and presence between progress reports keep the writer's memory; seq stays contiguous and each event is there once")
  void mixedCommandsKeepTheWritersMemory(Vertx vertx) throws Exception {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 5);
    reportAll(bus, workshop, 1, false).forEach(report -> report.await());
    Actor witness = workshop.attendees.get(0);
    // Changed behind the writer's back: a writer that reloaded its memory would report step 3 as the previous step.
    execute("UPDATE attendees SET current_step = 3 WHERE id = '" + witness.id() + "'");

    List<Future<JsonObject>> mixed = new ArrayList<>();
    for (Actor attendee : workshop.attendees) {
      mixed.add(bus.request(Address.CHAT_SEND, attendee, new JsonObject().put("codelabId", workshop.codelabId)
        .put("text", "hello from " + attendee.name())));
      mixed.add(bus.request(Address.PRESENCE_UPDATE, attendee, new JsonObject().put("nodeId", "node-a").put("delta", 1)));
      mixed.add(bus.request(Address.HELP_REQUEST, attendee, new JsonObject().put("codelabId", workshop.codelabId)
        .put("message", "stuck")));
      mixed.add(bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject().put("codelabId", workshop.codelabId)
        .put("step", 2).put("completed", true)));
    }
    mixed.forEach(write -> write.await());

    List<Long> seqs = committedSeqs(workshop.codelabId);
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    JsonArray events = bus.request(Address.EVENTS_SINCE, workshop.owner, new JsonObject()
      .put("codelabId", workshop.codelabId).put("after", 0).put("limit", 1000)).await().getJsonArray("events");
    List<JsonObject> stepChanges = events.stream().map(JsonObject.class::cast)
      .filter(event -> event.getString("type").equals(EventType.ATTENDEE_STEP_CHANGED.type)
        && event.getJsonObject("data").getInteger("step") == 2)
      .map(event -> event.getJsonObject("data")).toList();
    assertThat(stepChanges).hasSize(5).allMatch(data -> data.getInteger("previousStep") == 1);
    for (Actor attendee : workshop.attendees) {
      JsonObject row = attendeeRow(bus, workshop, attendee);
      assertThat(row.getInteger("currentStep")).isEqualTo(2);
      assertThat(row.getJsonArray("completedSteps")).containsExactly(2);
    }

    long presenceSent = System.currentTimeMillis();
    bus.request(Address.PRESENCE_UPDATE, witness, new JsonObject().put("nodeId", "node-a").put("delta", 1)).await();
    assertThat(attendeeRow(bus, workshop, witness).getLong("lastSeenAt")).isGreaterThanOrEqualTo(presenceSent);
  }

  private static List<Future<JsonObject>> reportAll(BusClient bus, Workshop workshop, int step, boolean completed) {
    return workshop.attendees.stream().map(attendee -> bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject()
      .put("codelabId", workshop.codelabId).put("step", step).put("completed", completed))).toList();
  }

  private static JsonObject attendeeRow(BusClient bus, Workshop workshop, Actor attendee) {
    return bus.request(Address.ATTENDEE_LIST, workshop.owner, new JsonObject().put("codelabId", workshop.codelabId))
      .await().getJsonArray("attendees").stream().map(JsonObject.class::cast)
      .filter(row -> row.getString("id").equals(attendee.id())).findFirst().orElseThrow();
  }

  private void execute(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 10000");
      statement.execute(sql);
    }
  }

  @Test
  @DisplayName("an event is published only after its transaction committed")
  void publishAfterCommit(Vertx vertx, VertxTestContext test) {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 1);
    Checkpoint delivered = test.checkpoint();
    Checkpoint committedBefore = test.checkpoint();
    vertx.eventBus().<JsonObject>consumer(Address.FACILITATOR_EVENTS.of(workshop.codelabId), message -> {
      long seq = message.body().getLong("seq");
      delivered.flag();
      test.verify(() -> {
        assertThat(committedSeqs(workshop.codelabId)).contains(seq);
        committedBefore.flag();
      });
    }).completion().await();
    bus.request(Address.PROGRESS_REPORT, workshop.attendees.get(0), new JsonObject()
      .put("codelabId", workshop.codelabId).put("step", 1));
  }

  @Test
  @DisplayName("every acknowledged write is there, once, after the node stops mid-stream and starts again; a retry is known")
  void durableAcrossRestart(Vertx vertx) {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 5);
    Map<String, Actor> acked = new ConcurrentHashMap<>();
    Promise<Void> halfAcked = Promise.promise();
    IntStream.range(0, 200).forEach(i -> {
      Actor attendee = workshop.attendees.get(i % 5);
      String eventId = "durable-" + String.format("%05d", i);
      bus.request(Address.CHAT_SEND, attendee, new JsonObject().put("codelabId", workshop.codelabId)
        .put("eventId", eventId).put("text", eventId)).onSuccess(reply -> {
          acked.put(eventId, attendee);
          if (acked.size() == 100) {
            halfAcked.tryComplete();
          }
        });
    });
    halfAcked.future().await();
    vertx.close().await();
    Map<String, Actor> ackedBeforeStop = Map.copyOf(acked);

    Vertx restarted = Vertx.vertx();
    try {
      BusClient again = deploy(restarted, new JsonObject());
      JsonArray messages = again.request(Address.CHAT_HISTORY, workshop.owner, new JsonObject()
        .put("codelabId", workshop.codelabId).put("limit", 500)).await().getJsonArray("messages");
      assertThat(ackedBeforeStop).hasSizeGreaterThanOrEqualTo(100);
      List<String> persisted = messages.stream().map(m -> ((JsonObject) m).getString("text")).toList();
      assertThat(persisted).containsAll(ackedBeforeStop.keySet()).doesNotHaveDuplicates()
        .allMatch(text -> text.matches("durable-\\d{5}"));
      String retried = ackedBeforeStop.keySet().iterator().next();
      JsonObject retry = again.request(Address.CHAT_SEND, ackedBeforeStop.get(retried),
        new JsonObject().put("codelabId", workshop.codelabId).put("eventId", retried).put("text", retried)).await();
      assertThat(retry.getBoolean("duplicate")).as("the retry of %s, sent before the restart", retried).isTrue();
    } finally {
      restarted.close().await();
    }
  }

  @Test
  @DisplayName("presence counts sockets over nodes; a node that stops takes its attendees offline")
  void presenceAcrossNodes(Vertx vertx, VertxTestContext test) {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 1);
    Actor neo = workshop.attendees.get(0);
    List<String> seen = new ArrayList<>();
    Checkpoint offline = test.checkpoint();
    vertx.eventBus().<JsonObject>consumer(Address.FACILITATOR_EVENTS.of(workshop.codelabId), message -> {
      seen.add(message.body().getString("type"));
      if (message.body().getString("type").equals("attendee.offline")) {
        test.verify(() -> {
          assertThat(seen).containsExactly("attendee.online", "attendee.offline");
          offline.flag();
        });
      }
    }).completion().await();
    JsonObject presence = new JsonObject().put("delta", 1);
    bus.request(Address.PRESENCE_UPDATE, neo, presence.copy().put("nodeId", "node-a")).await();
    bus.request(Address.PRESENCE_UPDATE, neo, presence.copy().put("nodeId", "node-b")).await();
    bus.request(Address.PRESENCE_UPDATE, neo, presence.copy().put("nodeId", "node-a").put("delta", -1)).await();
    bus.request(Address.PRESENCE_HEARTBEAT, new JsonObject().put("nodeId", "node-b").put("gone", true)).await();
  }

  @Test
  @DisplayName("a node leaving takes only its own sockets offline")
  void nodeLeavingKeepsOthersOnline(Vertx vertx) {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 2);
    Actor stays = workshop.attendees.get(0);
    Actor leaves = workshop.attendees.get(1);
    bus.request(Address.PRESENCE_UPDATE, stays, new JsonObject().put("nodeId", "node-a").put("delta", 1)).await();
    bus.request(Address.PRESENCE_UPDATE, leaves, new JsonObject().put("nodeId", "node-b").put("delta", 1)).await();
    JsonObject swept = bus.request(Address.PRESENCE_HEARTBEAT, new JsonObject().put("nodeId", "node-b")
      .put("gone", true).put("expiryMs", 35_000)).await();
    assertThat(swept.getInteger("wentOffline")).isEqualTo(1);
    JsonObject dashboard = bus.request(Address.DASHBOARD_GET, workshop.owner, new JsonObject()
      .put("codelabId", workshop.codelabId)).await();
    assertThat(dashboard.getJsonArray("attendees").stream().map(a -> ((JsonObject) a).getBoolean("online")))
      .containsExactly(true, false);
    Throwable ghost = bus.request(Address.PRESENCE_UPDATE, Actor.attendee("gone", workshop.codelabId, "ghost"),
      new JsonObject().put("nodeId", "node-a").put("delta", 1)).map(reply -> (Throwable) null)
      .otherwise(failure -> failure).await();
    assertThat(ErrorCode.of(ghost)).as("an attendee deleted with its codelab").isEqualTo(ErrorCode.NOT_FOUND);
    Throwable sweepEveryone = bus.request(Address.PRESENCE_HEARTBEAT, new JsonObject().put("nodeId", "node-a")
      .put("expiryMs", 0)).map(reply -> (Throwable) null).otherwise(failure -> failure).await();
    assertThat(ErrorCode.of(sweepEveryone)).isEqualTo(ErrorCode.INVALID);
  }

  @Test
  @DisplayName("migrations apply to an empty file and are skipped when run again")
  void migrations(Vertx vertx) throws Exception {
    String deployment = vertx.deployVerticle(new PersistenceVerticle(), options(new JsonObject())).await();
    vertx.undeploy(deployment).await();
    vertx.deployVerticle(new PersistenceVerticle(), options(new JsonObject())).await();
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         ResultSet rows = connection.createStatement().executeQuery(
           "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
      List<String> applied = new ArrayList<>();
      while (rows.next()) {
        assertThat(rows.getBoolean("success")).isTrue();
        applied.add(rows.getString("version"));
      }
      assertThat(applied).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14", "15");
    }
  }

  @Test
  @DisplayName("on a database from before roles, the oldest facilitator becomes the one instance admin")
  void oldestFacilitatorBecomesAdmin(Vertx vertx) throws Exception {
    Flyway.configure().dataSource(Database.url(dataDir), null, null).locations("classpath:db/migration")
      .target("5").load().migrate();
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         Statement insert = connection.createStatement()) {
      insert.executeUpdate("INSERT INTO facilitators (id, username, display_name, password_hash, created_at) VALUES "
        + "('f-new', 'newer', 'Newer', 'x', 200), ('f-old', 'older', 'Older', 'x', 100), ('f-mid', 'mid', 'Mid', 'x', 150)");
    }
    vertx.deployVerticle(new PersistenceVerticle(), options(new JsonObject())).await();
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM facilitators WHERE is_admin = 1")) {
      List<String> admins = new ArrayList<>();
      while (rows.next()) {
        admins.add(rows.getString(1));
      }
      assertThat(admins).containsExactly("f-old");
    }
  }

  @Test
  @DisplayName("V6 gives attendees from before a nickname key: look-alikes that now collide keep their rows, the first joiner keeps the nickname")
  void nicknameKeysBackfilled(Vertx vertx) throws Exception {
    Files.createDirectories(dataDir);
    Flyway.configure().dataSource(Database.url(dataDir), null, null).locations("classpath:db/migration").target("5")
      .load().migrate();
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         Statement insert = connection.createStatement()) {
      insert.execute("INSERT INTO codelabs (id, title, visibility, created_at, updated_at, short_code) "
        + "VALUES ('c1', 'Old lab', 'public', 0, 0, 'abc123')");
      insert.execute("INSERT INTO attendees (id, codelab_id, nickname, code_hash, step_started_at, joined_at, last_seen_at) "
        + "VALUES ('a-first', 'c1', 'Neo', 'h', 0, 1, 0), ('a-later', 'c1', 'neo' || char(8203), 'h', 0, 2, 0), "
        + "('a-other', 'c1', ' Trinity ', 'h', 0, 3, 0)");
    }
    vertx.deployVerticle(new PersistenceVerticle(), options(new JsonObject())).await();
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         ResultSet rows = connection.createStatement().executeQuery("SELECT id, nickname_key FROM attendees ORDER BY id")) {
      List<String> keys = new ArrayList<>();
      while (rows.next()) {
        keys.add(rows.getString("id") + "=" + rows.getString("nickname_key"));
      }
      assertThat(keys).containsExactly("a-first=neo", "a-later=neo#a-later", "a-other=trinity");
    }
    BusClient bus = new BusClient(vertx, 5_000);
    JsonObject found = bus.request(Address.ATTENDEE_FIND, new JsonObject().put("codelabId", "c1").put("nickname", "NEO\u200D"))
      .await();
    assertThat(found.getString("id")).isEqualTo("a-first");
  }

  @Test
  @DisplayName("a writer whose lease a later writer took rolls back, answers busy, stops and says it was fenced")
  void fencedWriterStops(Vertx vertx) throws Exception {
    PersistenceVerticle stale = new PersistenceVerticle();
    vertx.deployVerticle(stale, options(new JsonObject())).await();
    BusClient bus = new BusClient(vertx, 20_000);
    Workshop workshop = Workshop.create(bus, 1);
    Actor attendee = workshop.attendees.get(0);
    List<Long> before = committedSeqs(workshop.codelabId);
    long takenOver;
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir))) {
      takenOver = OwnFile.takeLease(connection, "the-next-writer");
    }
    assertThat(takenOver).isEqualTo(stale.term() + 1);

    Throwable refused = bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject()
        .put("codelabId", workshop.codelabId).put("step", 1).put("eventId", "after-takeover"))
      .map(reply -> (Throwable) null).otherwise(failure -> failure).await();

    assertThat(ErrorCode.of(refused)).isEqualTo(ErrorCode.BUSY);
    stale.fenced().await(10, TimeUnit.SECONDS);
    assertThat(committedSeqs(workshop.codelabId)).isEqualTo(before);
    Throwable afterwards = bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject()
        .put("codelabId", workshop.codelabId).put("step", 2).put("eventId", "after-fence"))
      .map(reply -> (Throwable) null).otherwise(failure -> failure).await();
    assertThat(ErrorCode.of(afterwards)).isEqualTo(ErrorCode.BUSY);
    assertThat(committedSeqs(workshop.codelabId)).isEqualTo(before);
  }

  @Test
  @DisplayName("a standby taking over never starts an empty database where the writer's file is missing")
  void takeoverNeedsTheWritersFile(Vertx vertx) {
    Throwable refused = vertx.deployVerticle(new PersistenceVerticle(), options(new JsonObject()
        .put(PersistenceVerticle.TAKEOVER, true)))
      .map(id -> (Throwable) null).otherwise(failure -> failure).await();

    assertThat(refused).hasMessageContaining("No database at");
    assertThat(dataDir.resolve(Database.FILE_NAME)).doesNotExist();
    assertThat(PersistenceVerticle.currentTerm(vertx, options(new JsonObject()).getConfig())
      .map(term -> (Throwable) null).otherwise(failure -> failure).await()).hasMessageContaining("No database at");
  }

  @Test
  @DisplayName("each start takes the next writer term, and every event records the term that committed it")
  void termsAdvance(Vertx vertx) throws Exception {
    PersistenceVerticle first = new PersistenceVerticle();
    String deployment = vertx.deployVerticle(first, options(new JsonObject())).await();
    Workshop workshop = Workshop.create(new BusClient(vertx, 20_000), 1);
    vertx.undeploy(deployment).await();
    PersistenceVerticle second = new PersistenceVerticle();
    vertx.deployVerticle(second, options(new JsonObject())).await();
    BusClient bus = new BusClient(vertx, 20_000);
    bus.request(Address.PROGRESS_REPORT, workshop.attendees.get(0), new JsonObject()
      .put("codelabId", workshop.codelabId).put("step", 1)).await();

    assertThat(second.term()).isEqualTo(first.term() + 1);
    assertThat(PersistenceVerticle.currentTerm(vertx, options(new JsonObject()).getConfig()).await()).isEqualTo(second.term());
    assertThat(bus.request(Address.WRITER_STATUS, new JsonObject()).await().getLong("term")).isEqualTo(second.term());
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         ResultSet rows = connection.createStatement().executeQuery("SELECT term FROM events ORDER BY seq")) {
      List<Long> terms = new ArrayList<>();
      while (rows.next()) {
        terms.add(rows.getLong(1));
      }
      assertThat(terms).startsWith(first.term()).endsWith(second.term()).isSorted();
    }
  }

  private List<Long> committedSeqs(String codelabId) throws Exception {
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         var statement = connection.prepareStatement("SELECT seq FROM events WHERE codelab_id = ?")) {
      statement.setString(1, codelabId);
      List<Long> seqs = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          seqs.add(rows.getLong(1));
        }
      }
      return seqs;
    }
  }

  @Test
  @DisplayName("what the writer commits reaches the database file itself while the writer runs, not only its WAL")
  void checkpointedWhileRunning(Vertx vertx) throws Exception {
    BusClient bus = deploy(vertx, new JsonObject());
    Workshop workshop = Workshop.create(bus, 10);
    for (Actor attendee : workshop.attendees) {
      bus.request(Address.PROGRESS_REPORT, attendee, new JsonObject().put("codelabId", workshop.codelabId)
        .put("step", 1).put("completed", true)).await();
    }
    String count = "SELECT count(*) FROM events WHERE codelab_id = '" + workshop.codelabId + "'";
    String committed;
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir))) {
      committed = FileRows.one(connection, count);
    }
    assertThat(Integer.parseInt(committed)).isGreaterThanOrEqualTo(workshop.attendees.size());
    // Far below the 1,000 frames at which the writer would checkpoint itself: only the checkpoint thread copies these.
    FileRows.awaitInFileAlone(dataDir, count, committed, Duration.ofSeconds(10));
  }

  private BusClient deploy(Vertx vertx, JsonObject config) {
    vertx.deployVerticle(new PersistenceVerticle(), options(config)).await();
    return new BusClient(vertx, 20_000);
  }

  private DeploymentOptions options(JsonObject config) {
    return new DeploymentOptions().setConfig(NodeConfig.of(new JsonObject()
      .put(SharedConfig.DATA_DIR, dataDir.toString()).mergeIn(config)).json());
  }

  /** A facilitator, one codelab of three steps and some attendees, made through the bus. */
  record Workshop(Actor owner, String codelabId, List<Actor> attendees) {
    static Workshop create(BusClient bus, int attendeeCount) {
      String suffix = Long.toHexString(System.nanoTime());
      bus.request(Address.FACILITATOR_BOOTSTRAP, new JsonObject().put("username", "admin").put("passwordHash", HASH))
        .await();
      String adminId = bus.request(Address.FACILITATOR_FIND, new JsonObject().put("username", "admin"))
        .await().getString("id");
      JsonObject facilitator = bus.request(Address.FACILITATOR_CREATE, new JsonObject()
          .put("actor", Actor.facilitator(adminId, "Admin").toJson())
          .put("username", "owner" + suffix).put("passwordHash", HASH))
        .await();
      Actor owner = Actor.facilitator(facilitator.getString("id"), "Owner");
      JsonArray steps = new JsonArray();
      IntStream.range(0, 3).forEach(i -> steps.add(new JsonObject().put("title", "Step " + i)
        .put("markdown", "text").put("html", "<p>text</p>").put("durationMinutes", 5)));
      String codelabId = bus.request(Address.CODELAB_CREATE, owner, new JsonObject().put("title", "Lab " + suffix)
        .put("steps", steps)).await().getString("codelabId");
      List<Actor> attendees = new ArrayList<>();
      for (int i = 0; i < attendeeCount; i++) {
        JsonObject attendee = bus.request(Address.ATTENDEE_JOIN, new JsonObject().put("codelabId", codelabId)
          .put("nickname", "attendee" + i).put("codeHash", HASH)).await().getJsonObject("attendee");
        attendees.add(Actor.attendee(attendee.getString("id"), codelabId, attendee.getString("nickname")));
      }
      return new Workshop(owner, codelabId, attendees);
    }
  }
}

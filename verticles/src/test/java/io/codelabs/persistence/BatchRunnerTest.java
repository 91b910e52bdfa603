package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A batch of commands")
class BatchRunnerTest {
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  /** Set apart per file by its migration, never by a command. */
  private static final Set<String> PER_FILE = Set.of("settings", "writer_lease", "flyway_schema_history", "instance_keys");
  private static final Map<Address, Writer.Command> COMMANDS = WriteCommands.all();

  @TempDir
  Path dir;
  private final List<Connection> connections = new ArrayList<>();

  @AfterEach
  void close() throws SQLException {
    for (Connection connection : connections) {
      connection.close();
    }
  }

  @Test
  @DisplayName("run again on another copy of the file with its time and seed writes the same rows and answers the same")
  void runsAgainTheSame() throws Exception {
    BatchRunner first = runner("first");
    BatchRunner again = runner("again");
    BatchRunner reseeded = runner("reseeded");
    byte[] seed = Entropy.newSeed();
    long now = 1_767_225_600_000L;

    List<List<JsonObject>> answers = new ArrayList<>();
    JsonObject bootstrap = new JsonObject().put("username", "admin").put("passwordHash", HASH);
    for (BatchRunner runner : List.of(first, again, reseeded)) {
      answers.add(run(runner, now, seed, List.of(call(Address.FACILITATOR_BOOTSTRAP, bootstrap))));
    }
    String adminId = FileRows.one(connections.get(0), "SELECT id FROM facilitators");
    Actor admin = Actor.facilitator(adminId, "Admin");
    JsonArray steps = new JsonArray();
    IntStream.range(0, 3).forEach(i -> steps.add(new JsonObject().put("title", "Step " + i)
      .put("markdown", "text").put("html", "<p>text</p>").put("durationMinutes", 5)));
    List<BatchRunner.Call> create = List.of(call(Address.CODELAB_CREATE,
      new JsonObject().put("actor", admin.toJson()).put("title", "Lab").put("steps", steps)));
    answers.add(run(first, now + 1, seed, create));
    answers.add(run(again, now + 1, seed, create));
    run(reseeded, now + 1, Entropy.newSeed(), create);
    String codelabId = answers.get(3).get(0).getString("codelabId");

    List<BatchRunner.Call> joins = IntStream.range(0, 4).mapToObj(i -> call(Address.ATTENDEE_JOIN, new JsonObject()
      .put("codelabId", codelabId).put("nickname", "attendee" + i).put("codeHash", HASH))).toList();
    List<JsonObject> joined = run(first, now + 2, seed, joins);
    assertThat(run(again, now + 2, seed, joins)).isEqualTo(joined);

    List<BatchRunner.Call> mixed = new ArrayList<>();
    for (JsonObject join : joined) {
      JsonObject attendee = join.getJsonObject("attendee");
      JsonObject actor = Actor.attendee(attendee.getString("id"), codelabId, attendee.getString("nickname")).toJson();
      mixed.add(call(Address.PROGRESS_REPORT, new JsonObject().put("actor", actor).put("codelabId", codelabId)
        .put("step", 2).put("completed", true)));
      mixed.add(call(Address.CHAT_SEND, new JsonObject().put("actor", actor).put("codelabId", codelabId)
        .put("text", "hello")));
      mixed.add(call(Address.HELP_REQUEST, new JsonObject().put("actor", actor).put("codelabId", codelabId)
        .put("message", "stuck")));
      mixed.add(call(Address.PROGRESS_REPORT, new JsonObject().put("actor", actor).put("codelabId", codelabId)
        .put("step", 99)));
    }
    List<JsonObject> mixedAnswers = run(first, now + 3, seed, mixed);
    assertThat(mixedAnswers).containsNull().anyMatch(answer -> answer != null && answer.containsKey("message"));
    assertThat(run(again, now + 3, seed, mixed)).isEqualTo(mixedAnswers);

    assertThat(answers.get(1)).isEqualTo(answers.get(0));
    assertThat(answers.get(4)).isEqualTo(answers.get(3));
    Map<String, List<String>> rows = FileRows.of(connections.get(0), PER_FILE);
    assertThat(rows.get("events")).hasSizeGreaterThan(10);
    assertThat(FileRows.of(connections.get(1), PER_FILE)).isEqualTo(rows);
    assertThat(FileRows.of(connections.get(2), PER_FILE).get("codelabs")).as("another seed draws other ids")
      .isNotEqualTo(rows.get("codelabs"));
  }

  private BatchRunner runner(String name) throws Exception {
    Path data = Files.createDirectories(dir.resolve(name));
    Database.migrate(data);
    Connection connection = Database.writerConnection(data, "FULL");
    connections.add(connection);
    return new BatchRunner(connection, "epoch", 1, EventIds.of(connection));
  }

  private static BatchRunner.Call call(Address address, JsonObject body) {
    return new BatchRunner.Call(COMMANDS.get(address), body.copy());
  }

  /** The replies, null where a command failed. */
  private static List<JsonObject> run(BatchRunner runner, long now, byte[] seed, List<BatchRunner.Call> calls)
    throws Exception {
    List<BatchRunner.Call> copies = calls.stream().map(call -> new BatchRunner.Call(call.command(), call.body().copy())).toList();
    return runner.run(copies, now, seed, statements -> { }).stream().map(BatchRunner.Outcome::reply).toList();
  }
}

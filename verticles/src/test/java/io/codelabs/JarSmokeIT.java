package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a user runs it: a separate process, its printed URL and credentials. */
@DisplayName("The runnable jar")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JarSmokeIT {
  private static final Pattern URL = Pattern.compile("ready at http://localhost:(\\d+)");
  private static final Pattern PASSWORD = Pattern.compile("^\\s+password: (\\S+)$");

  @TempDir
  Path work;

  private Vertx vertx;
  private final List<Process> processes = new ArrayList<>();

  private record Started(Process process, int port, String password) {
  }

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopEverything() {
    processes.forEach(Process::destroyForcibly);
    vertx.close().await();
  }

  @Test
  @DisplayName("starts, prints URL and credentials once, serves a workshop warning of nothing but unscanned uploads, keeps acked "
    + "writes through kill -9, stops on SIGTERM")
  void workshopAcrossRestarts() throws Exception {
    Started first = start();
    assertThat(first.password).isNotNull();
    Http http = new Http(vertx, first.port);
    String admin = http.login("admin", first.password);
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Smoke").put("steps", new JsonArray()
      .add(new JsonObject().put("title", "One").put("markdown", "# One"))
      .add(new JsonObject().put("title", "Two").put("markdown", "# Two"))));
    String attendee = http.join(codelabId, "smoky", "code-smoky").getString("token");
    Response progress = http.post("/api/codelabs/" + codelabId + "/progress", attendee,
      new JsonObject().put("step", 1).put("completed", true).put("eventId", "smoke-progress-1"));
    assertThat(progress.status()).isEqualTo(200);
    String realtime = http.get("/api/realtime", null).json().getString("url");
    int bridgePort = Integer.parseInt(realtime.replaceAll(".*:(\\d+)/eventbus$", "$1"));
    assertThat(new Http(vertx, bridgePort).get("/eventbus/info", null).json().getBoolean("websocket")).isTrue();

    first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Started second = start();
    assertThat(second.password).as("credentials are printed on the first start only").isNull();
    Http again = new Http(vertx, second.port);
    String adminAgain = again.login("admin", first.password);
    JsonObject row = again.get("/api/codelabs/" + codelabId + "/attendees", adminAgain).json()
      .getJsonArray("attendees").getJsonObject(0);
    assertThat(row.getInteger("currentStep")).isEqualTo(1);
    assertThat(row.getJsonArray("completedSteps")).containsExactly(1);
    assertThat(again.get("/ready", null).status()).isEqualTo(200);

    second.process.destroy();
    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
    assertThat(Files.readString(work.resolve("stderr-1.log"))).doesNotContain("ERROR");
    assertThat(Files.readAllLines(work.resolve("stderr-1.log"))).filteredOn(line -> line.contains(" WARN "))
      .as("the only warning of a default start: no virus scanner is configured")
      .allMatch(line -> line.contains("No virus scanner configured"));
  }

  @Test
  @DisplayName("--help lists the options and exits 0")
  void help() throws Exception {
    Process process = new ProcessBuilder(javaCommand("--help")).redirectErrorStream(true).start();
    processes.add(process);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(output).contains("--port", "CODELABS_DATA_DIR", "--roles", "--cluster");
  }

  private Started start() throws IOException {
    int index = processes.size();
    Process process = new ProcessBuilder(javaCommand("--port", "0", "--bridge-port", "0", "--tcp-bridge-port", "0",
      "--metrics-port", "0",
      "--data-dir", work.resolve("data").toString()))
      .redirectError(work.resolve("stderr-" + index + ".log").toFile())
      .start();
    processes.add(process);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    int port = -1;
    String password = null;
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      Matcher url = URL.matcher(line);
      Matcher secret = PASSWORD.matcher(line);
      if (url.find()) {
        port = Integer.parseInt(url.group(1));
      } else if (secret.find()) {
        password = secret.group(1);
      } else if (line.startsWith("This password") || (port > 0 && password == null && line.isEmpty())) {
        break;
      }
    }
    assertThat(port).as("printed URL").isPositive();
    return new Started(process, port, password);
  }

  private static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
      System.getProperty("codelabs.jar")));
    command.addAll(List.of(args));
    return command;
  }
}

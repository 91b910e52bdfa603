package io.codelabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.connections.FileBudget;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built jar started where the process may open few files, as on a host that keeps the usual limit of 1,024. */
@DisplayName("A node with a small open-files limit")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenFilesIT {
  private static final int OPEN_FILES = 1024;
  /** Above the file limit, so that without caps of its own the node would run out of files. */
  private static final int FLOOD = OPEN_FILES + 100;
  /** Below the per-address cap on pending connections, so only the open-connection cap refuses. */
  private static final int PER_SOURCE = 225;
  /** Far beyond the test: a flood connection closed before it was closed by the cap, not by the header timer. */
  private static final String HEADER_TIMEOUT_MS = "120000";
  private static final long AT_ONCE_MS = 10_000;
  private static final Pattern URL = Pattern.compile("ready at http://localhost:(\\d+)");

  @TempDir
  Path work;

  private final Vertx vertx = Vertx.vertx();
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
    vertx.close().await();
  }

  @Test
  @DisplayName("shares its files out into connection caps, prints them, and refuses a flood of more sockets than it may open "
    + "while it keeps answering")
  void floodPastTheFileLimit() throws Exception {
    List<String> banner = start();
    FileBudget budget = FileBudget.of(OPEN_FILES);
    assertThat(banner).contains(String.format(Locale.ROOT,
      "Connections at once: %,d realtime and %,d API (this process may open %,d files)", budget.bridge(), budget.api(),
      OPEN_FILES));
    int httpPort = banner.stream().map(URL::matcher).filter(Matcher::find).mapToInt(url -> Integer.parseInt(url.group(1)))
      .findFirst().orElseThrow();
    String realtime = new Http(vertx, httpPort).get("/api/realtime", null).json().getString("url");
    int bridgePort = Integer.parseInt(realtime.replaceAll(".*:(\\d+)/eventbus$", "$1"));

    List<RawConnection> flood = new ArrayList<>();
    for (int source = 2; flood.size() < FLOOD; source++) {
      NetClient client = vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0." + source));
      for (int i = 0; i < PER_SOURCE && flood.size() < FLOOD; i++) {
        RawConnection connection = RawConnection.open(client, bridgePort).await().write("GET /eventbus/info HTTP/1.1\r\n");
        flood.add(connection);
        if (flood.size() > budget.bridge()) {
          // Refused before the next one opens: a burst of refusals holds files until each is closed (README, Connections).
          connection.closed().await(AT_ONCE_MS, TimeUnit.MILLISECONDS);
        }
      }
    }
    int refused = FLOOD - budget.bridge();

    NetClient visitor = vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0.1"));
    RawConnection health = RawConnection.open(visitor, httpPort).await()
      .write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    health.closed().await(AT_ONCE_MS, TimeUnit.MILLISECONDS);
    assertThat(health.received()).startsWith("HTTP/1.1 200");
    assertThat(flood.stream().filter(RawConnection::isClosed).count()).as("closed by the realtime cap").isEqualTo(refused);
    assertThat(Files.readString(work.resolve("stderr.log"))).doesNotContainIgnoringCase("too many open files");
  }

  /** Reads the start banner up to the credentials. */
  private List<String> start() throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + OPEN_FILES + " && exec \"$@\"", "codelabs",
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
      System.getProperty("codelabs.jar"), "--port", "0", "--bridge-port", "0", "--tcp-bridge-port", "0",
      "--metrics-port", "0", "--bridge-header-timeout", HEADER_TIMEOUT_MS, "--data-dir", work.resolve("data").toString()));
    process = new ProcessBuilder(command).redirectError(work.resolve("stderr.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line = out.readLine(); line != null && !line.startsWith("This password"); line = out.readLine()) {
      lines.add(line);
    }
    return lines;
  }
}

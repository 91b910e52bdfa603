package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Python integrator example (openapi/examples/help_requests.py) against a real node: it prints each help
 * request made through the API as it happens, and after its connection drops it prints the ones it missed, once.
 */
@DisplayName("Python example: help requests over the TCP bridge")
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HelpRequestsExampleTest extends NodeTestBase {
  private static final Path SCRIPT = Path.of("..", "openapi", "examples", "help_requests.py");
  private static final long LINE_WAIT_SECONDS = 30;

  private Process script;

  @AfterEach
  void stopScript() {
    if (script != null) {
      script.destroy();
    }
  }

  @Test
  @DisplayName("prints help requests live, and those made while it was cut off once it is back, each once")
  void printsHelpRequests(Vertx vertx) throws Exception {
    String codelabId = codelab(admin);
    String neo = attendee(codelabId, "neo");
    String trinity = attendee(codelabId, "trinity");
    String morpheus = attendee(codelabId, "morpheus");
    String tank = attendee(codelabId, "tank");
    CuttableProxy proxy = new CuttableProxy(vertx, node.tcpBridgePort);
    int port = proxy.listen().await();

    ProcessBuilder command = new ProcessBuilder("python3", SCRIPT.toString(), "--host", "127.0.0.1",
      "--port", Integer.toString(port), "--codelab", codelabId);
    command.environment().put("CODELABS_API_KEY", admin);
    script = command.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BlockingQueue<String> lines = lines(script);

    assertThat(next(lines)).isEqualTo("listening for help requests in codelab " + codelabId);
    help(codelabId, neo, 1, "Build fails");
    assertThat(next(lines)).isEqualTo("help requested by neo on step 2: Build fails");

    proxy.cut().await();
    help(codelabId, trinity, 0, "");
    help(codelabId, morpheus, 2, "Which JDK?");
    proxy.restore();
    assertThat(next(lines)).isEqualTo("help requested by trinity on step 1");
    assertThat(next(lines)).isEqualTo("help requested by morpheus on step 3: Which JDK?");

    help(codelabId, tank, 2, "Live again");
    assertThat(next(lines)).isEqualTo("help requested by tank on step 3: Live again");
    assertThat(lines).isEmpty();
  }

  private static void help(String codelabId, String token, int step, String message) {
    JsonObject body = new JsonObject().put("step", step);
    if (!message.isEmpty()) {
      body.put("message", message);
    }
    assertThat(http.post("/api/codelabs/" + codelabId + "/help", token, body).status()).isBetween(200, 201);
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(line).as("a line from the script").isNotNull();
    return line;
  }

  private static BlockingQueue<String> lines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException ended) {
        // The process is gone: no more lines.
      }
    }, "help-requests-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** Forwards TCP connections to the bridge until cut: then it closes them and refuses new ones until restored. */
  private static final class CuttableProxy {
    private final Vertx vertx;
    private final int target;
    private final NetClient client;
    private final List<NetSocket> open = new ArrayList<>();
    private boolean cut;

    CuttableProxy(Vertx vertx, int target) {
      this.vertx = vertx;
      this.target = target;
      this.client = vertx.createNetClient();
    }

    Future<Integer> listen() {
      NetServer server = vertx.createNetServer().connectHandler(this::accept);
      return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
    }

    private synchronized void accept(NetSocket incoming) {
      if (cut) {
        incoming.close();
        return;
      }
      incoming.pause();
      client.connect(target, "127.0.0.1").onSuccess(outgoing -> {
        synchronized (this) {
          open.add(incoming);
          open.add(outgoing);
        }
        incoming.pipeTo(outgoing);
        outgoing.pipeTo(incoming);
        incoming.resume();
      }).onFailure(failure -> incoming.close());
    }

    synchronized Future<Void> cut() {
      cut = true;
      List<Future<Void>> closing = open.stream().map(NetSocket::close).toList();
      open.clear();
      return Future.all(closing).mapEmpty();
    }

    synchronized void restore() {
      cut = false;
    }
  }
}

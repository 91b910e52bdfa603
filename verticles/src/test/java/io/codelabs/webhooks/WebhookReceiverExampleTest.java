package io.codelabs.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.outbound.Signatures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The Python webhook receiver example verifies what a real node delivers")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebhookReceiverExampleTest extends NodeTestBase {
  private static final Path EXAMPLE = Path.of("../openapi/examples/webhook_receiver.py");

  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir, WebhookDeliveryTest.shortRetries());
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  /** The example as a process: its stdout lines one by one, the first telling where it listens. */
  private record Python(Process process, BlockingQueue<JsonObject> lines, String url) implements AutoCloseable {
    static Python start(String secrets) throws Exception {
      ProcessBuilder builder = new ProcessBuilder("python3", EXAMPLE.toString(), "--port", "0")
        .redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().put("WEBHOOK_SECRET", secrets);
      Process process = builder.start();
      BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(new JsonObject(line));
          }
        } catch (Exception e) {
          lines.add(new JsonObject().put("readerFailed", e.toString()));
        }
      });
      reader.setDaemon(true);
      reader.start();
      JsonObject listening = lines.poll(20, TimeUnit.SECONDS);
      assertThat(listening).isNotNull();
      return new Python(process, lines, listening.getString("listening"));
    }

    List<JsonObject> printed(int count) throws InterruptedException {
      List<JsonObject> events = new ArrayList<>();
      while (events.size() < count) {
        JsonObject line = lines.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("event %d of %d printed by the receiver", events.size() + 1, count).isNotNull();
        events.add(line);
      }
      return events;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("it accepts every signed delivery, also across a secret rotation, and refuses a tampered body")
  void receiverVerifiesSignatures() throws Exception {
    assertThat(Files.isRegularFile(EXAMPLE)).isTrue();
    String codelabId = codelab(admin);
    JsonObject webhook = WebhookDeliveryTest.register(http, admin, codelabId, "http://127.0.0.1:9/",
      "announcement.posted");
    String secret = webhook.getString("secret");
    try (Python receiver = Python.start(secret)) {
      assertThat(http.patch("/api/webhooks/" + webhook.getString("id"), admin,
        new JsonObject().put("url", receiver.url())).status()).isEqualTo(200);
      List<Long> seqs = List.of(WebhookDeliveryTest.announce(http, admin, codelabId, "One"),
        WebhookDeliveryTest.announce(http, admin, codelabId, "Two"),
        WebhookDeliveryTest.announce(http, admin, codelabId, "Three"));

      assertThat(receiver.printed(3)).extracting(line -> line.getLong("seq")).containsExactlyElementsOf(seqs);

      Http.Response rotated = http.post("/api/webhooks/" + webhook.getString("id") + "/rotate", admin, null);
      assertThat(rotated.status()).isEqualTo(200);
      assertThat(rotated.json().getString("secret")).startsWith("whsec_").isNotEqualTo(secret);
      long afterRotation = WebhookDeliveryTest.announce(http, admin, codelabId, "Rotated");
      assertThat(receiver.printed(1).get(0).getLong("seq")).isEqualTo(afterRotation);

      WebClient client = WebClient.create(node.vertx);
      String body = "{\"type\":\"announcement.posted\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"codelabId\":\""
        + codelabId + "\",\"seq\":999,\"data\":{}}}";
      long now = System.currentTimeMillis() / 1000;
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json")
        .add("webhook-id", "msg_forged").add("webhook-timestamp", Long.toString(now))
        .add("webhook-signature", Signatures.sign(secret, "msg_forged", now, body));
      URI target = URI.create(receiver.url());
      int tampered = client.request(HttpMethod.POST, target.getPort(), target.getHost(), "/").putHeaders(headers)
        .sendBuffer(Buffer.buffer(body.replace("999", "998"))).await().statusCode();
      int stale = client.request(HttpMethod.POST, target.getPort(), target.getHost(), "/")
        .putHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers).set("webhook-timestamp", Long.toString(now - 600))
          .set("webhook-signature", Signatures.sign(secret, "msg_forged", now - 600, body)))
        .sendBuffer(Buffer.buffer(body)).await().statusCode();
      int genuine = client.request(HttpMethod.POST, target.getPort(), target.getHost(), "/").putHeaders(headers)
        .sendBuffer(Buffer.buffer(body)).await().statusCode();
      assertThat(tampered).isEqualTo(401);
      assertThat(stale).isEqualTo(401);
      assertThat(genuine).isEqualTo(204);
      assertThat(receiver.printed(1).get(0).getString("id")).isEqualTo("msg_forged");
      client.close();
    }
  }
}

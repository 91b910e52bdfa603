package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SockJS HTTP transports and pages the bridge serves, as a browser without WebSocket meets them. */
@DisplayName("SockJS HTTP fallbacks of the realtime bridge")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SockJSFallbackTest extends NodeTestBase {
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  private WebClient bridge;

  @BeforeEach
  void setUp(Vertx vertx) {
    // A browser sends a request again when the kept-alive connection it picked was closed before any answer;
    // this client would not, so it takes a fresh connection for each request.
    bridge = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(node.bridgePort).setKeepAlive(false));
  }

  @Test
  @DisplayName("iframe.html loads the client library from this node and is covered by a policy that allows only its own script")
  void iframeIsSelfContained() throws Exception {
    HttpResponse<Buffer> page = bridge.get(BridgeVerticle.PATH + "/iframe.html").send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    String policy = page.getHeader("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'").contains("script-src 'self' ");
    assertThat(page.bodyAsString()).contains("<script src=\"" + BridgeVerticle.SOCKJS_CLIENT + "\"></script>")
      .doesNotContain("//cdn");
    Matcher inline = INLINE_SCRIPT.matcher(page.bodyAsString());
    assertThat(inline.find()).isTrue();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.group(1).getBytes(StandardCharsets.UTF_8));
    assertThat(policy).contains("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
    assertThat(inline.find()).isFalse();

    HttpResponse<Buffer> library = bridge.get(BridgeVerticle.SOCKJS_CLIENT).send().await();
    assertThat(library.statusCode()).isEqualTo(200);
    assertThat(library.getHeader("Content-Type")).contains("javascript");
    assertThat(library.bodyAsString()).startsWith("/* sockjs-client v1.6.1");
  }

  @Test
  @DisplayName("the transports that need per-request inline scripts are off")
  void inlineScriptTransportsOff() {
    String session = BridgeVerticle.PATH + "/000/" + UUID.randomUUID();
    assertThat(bridge.get(session + "/htmlfile?c=callback").send().await().statusCode()).isEqualTo(404);
    assertThat(bridge.get(session + "/jsonp?c=callback").send().await().statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("xhr-polling opens an authenticated socket, carries a command and its reply, and refuses an oversized post")
  void xhrPollingCarriesCommands() {
    String codelabId = codelab(admin);
    String session = BridgeVerticle.PATH + "/000/" + UUID.randomUUID().toString().replace("-", "");
    HttpResponse<Buffer> open = bridge.post(session + "/xhr").bearerTokenAuthentication(admin).send().await();
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.bodyAsString()).isEqualTo("o\n");

    JsonObject frame = new JsonObject().put("type", "send").put("address", Address.CHAT_SEND.address)
      .put("replyAddress", "r1").put("body", new JsonObject().put("codelabId", codelabId).put("text", "over xhr"));
    HttpResponse<Buffer> sent = bridge.post(session + "/xhr_send").bearerTokenAuthentication(admin)
      .sendBuffer(Buffer.buffer(new JsonArray().add(frame.encode()).encode())).await();
    assertThat(sent.statusCode()).isEqualTo(204);
    HttpResponse<Buffer> poll = bridge.post(session + "/xhr").bearerTokenAuthentication(admin).send().await();
    assertThat(poll.bodyAsString()).startsWith("a[");
    JsonObject reply = new JsonObject(new JsonArray(poll.bodyAsString().substring(1).strip()).getString(0));
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getJsonObject("body").getJsonObject("message").getString("text")).isEqualTo("over xhr");

    String tooLarge = new JsonArray().add("x".repeat(140_000)).encode();
    String refusal = bridge.post(session + "/xhr_send").bearerTokenAuthentication(admin)
      .sendBuffer(Buffer.buffer(tooLarge)).map(response -> String.valueOf(response.statusCode()))
      // The server answers 413 at once and closes; the client may see the close before the answer.
      .otherwise(failure -> failure instanceof HttpClosedException ? "closed" : failure.toString())
      .await();
    assertThat(refusal).isIn("413", "closed");
  }
}

package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Http.Response;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Security headers on pages, documentation and API answers")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityHeadersTest extends NodeTestBase {

  @Test
  @DisplayName("every HTML page, Swagger UI included, has a policy with default-src that lets it reach only the bridge")
  void policyOnEveryPage() {
    for (String page : new String[] {"/", "/facilitator", "/c/anything", "/docs/", "/docs/index.html"}) {
      Response response = http.get(page, null);
      assertThat(response.header("content-type")).as(page).startsWith("text/html");
      assertThat(response.header("content-security-policy")).as(page)
        .contains("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'")
        .contains("connect-src 'self' http://127.0.0.1:" + node.bridgePort + " ws://127.0.0.1:" + node.bridgePort)
        .doesNotContain("unsafe-eval");
    }
  }

  @Test
  @DisplayName("pages may frame the bridge and exactly the step embeds' origins: YouTube's privacy-enhanced player and Google Docs")
  void framesOnlyAllowListedEmbeds() {
    for (String page : new String[] {"/c/anything", "/facilitator"}) {
      String policy = http.get(page, null).header("content-security-policy");
      assertThat(policy).as(page).containsOnlyOnce("frame-src");
      String frameSources = policy.substring(policy.indexOf("frame-src")).split(";")[0];
      assertThat(frameSources).as(page).isEqualTo("frame-src http://127.0.0.1:" + node.bridgePort
        + " https://www.youtube-nocookie.com https://docs.google.com");
    }
  }

  @Test
  @DisplayName("API answers, signed-in ones above all, are never stored by a cache; plain http gets no HSTS")
  void apiAnswersNotStored() {
    String id = codelab(admin);
    Response codelab = http.get("/api/codelabs/" + id, admin);
    assertThat(codelab.status()).isEqualTo(200);
    assertThat(codelab.header("cache-control")).isEqualTo("no-store");
    Response missing = http.get("/api/codelabs/nope", admin);
    assertThat(missing.header("cache-control")).isEqualTo("no-store");
    assertThat(codelab.header("strict-transport-security")).isNull();
  }

  @Test
  @DisplayName("behind an https public URL: HSTS on every answer and an https realtime URL")
  void httpsPublicUrl(@TempDir Path otherData) {
    Node behindTls = TestNode.start(otherData, new JsonObject().put(HttpApiVerticle.PUBLIC_URL, "https://codelabs.example"));
    Http client = new Http(behindTls.vertx, behindTls.httpPort);
    try {
      Response realtime = client.get("/api/realtime", null);
      assertThat(realtime.json().getString("url")).isEqualTo("https://codelabs.example:" + behindTls.bridgePort + "/eventbus");
      assertThat(realtime.header("strict-transport-security")).startsWith("max-age=");
      Response page = client.get("/", null);
      assertThat(page.header("strict-transport-security")).startsWith("max-age=");
      assertThat(page.header("content-security-policy"))
        .contains("connect-src 'self' https://codelabs.example:" + behindTls.bridgePort + " wss://codelabs.example:" + behindTls.bridgePort);
    } finally {
      client.close();
      behindTls.stop().await();
    }
  }
}

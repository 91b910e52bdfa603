package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Addresses a person opens in a browser: the app's page, with 404 where they lead nowhere")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AppPagesTest extends NodeTestBase {
  private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private static Response browse(String path) {
    return http.send(HttpMethod.GET, path, null, null, MultiMap.caseInsensitiveMultiMap().add("Accept", BROWSER_ACCEPT));
  }

  private static void assertAppPage(Response response, int status, String path) {
    assertThat(response.status()).as(path).isEqualTo(status);
    assertThat(response.header("Content-Type")).as(path).startsWith("text/html");
    assertThat(response.text()).as(path).contains("<div id=\"app\">");
    assertThat(response.header("Content-Security-Policy")).as(path).contains("script-src 'self'");
  }

  @Test
  @DisplayName("every attendee address (a step, the completion screen, materials, hand-in) is the app's page")
  void attendeeAddressesAreAppPages() {
    String id = codelab(admin);
    for (String path : new String[] {"/c/" + id, "/c/" + id + "/step/3", "/c/" + id + "/done", "/c/" + id + "/materials",
      "/c/" + id + "/hand-in", "/c/" + id + "/step/2/"}) {
      assertAppPage(browse(path), 200, path);
    }
  }

  @Test
  @DisplayName("an unknown address or codelab gives a browser the app's page with 404, and a script a problem document with 404")
  void unknownAddress() {
    for (String path : new String[] {"/nowhere", "/c/" + codelab(admin) + "/step/two", "/c/x/elsewhere", "/j/",
      "/c/no-such-codelab", "/c/no-such-codelab/step/2"}) {
      assertAppPage(browse(path), 404, path);
    }
    Response script = http.get("/nowhere", null);
    assertThat(script.status()).isEqualTo(404);
    assertThat(script.header("Content-Type")).startsWith("application/problem+json");
    assertThat(http.send(HttpMethod.POST, "/nowhere", null, null,
      MultiMap.caseInsensitiveMultiMap().add("Accept", BROWSER_ACCEPT)).header("Content-Type"))
      .startsWith("application/problem+json");
  }

  @Test
  @DisplayName("a short link that leads nowhere, or cannot be one, gives a browser the app's page with 404")
  void badShortLink() {
    assertAppPage(browse("/j/zzzzzz"), 404, "/j/zzzzzz");
    assertAppPage(browse("/j/ab"), 404, "/j/ab");
    assertAppPage(browse("/j/no_such!"), 404, "/j/no_such!");
    String id = codelab(admin);
    String code = http.get("/api/codelabs/" + id, null).json().getString("shortCode");
    Response good = browse("/j/" + code);
    assertThat(good.status()).isEqualTo(302);
    assertThat(good.header("Location")).isEqualTo("/c/" + id);
  }

  @Test
  @DisplayName("API routes keep answering JSON problems, even to a browser")
  void apiStaysJson() {
    Response missing = browse("/api/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
  }
}

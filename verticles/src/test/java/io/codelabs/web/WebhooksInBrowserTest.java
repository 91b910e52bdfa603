package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.outbound.WebhookConfig;
import io.codelabs.webhooks.Receiver;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

@DisplayName("Webhooks on the integrations page")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebhooksInBrowserTest extends NodeTestBase {
  private static Browser browser;

  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir, new JsonObject().put(WebhookConfig.ALLOW_HTTP, true)
      .put(WebhookConfig.ALLOW_PRIVATE_TARGETS, true).put(WebhookConfig.POLL_MS, 200));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
    browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1280, 900);
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
  }

  @Test
  @DisplayName("add an endpoint for one event type, see its secret once, its delivery log, send one again, disable it")
  void addLogRedeliverDisable() throws Exception {
    Receiver receiver = Receiver.start(node.vertx);
    String codelabId = codelab(admin);
    browser.signIn(Node.FIRST_FACILITATOR, node.createdPassword);
    browser.byTestId("nav-integrations").click();
    browser.byTestId("webhook-url").sendKeys(receiver.url());
    browser.byTestId("webhook-description").sendKeys("Grader");
    browser.allByTestId("webhook-type").stream()
      .filter(box -> "announcement.posted".equals(box.getAttribute("value"))).findFirst().orElseThrow().click();
    browser.byTestId("webhook-create-submit").click();
    assertThat(browser.byTestId("webhook-secret-value").getText()).startsWith("whsec_");

    http.post("/api/codelabs/" + codelabId + "/announcements", admin, new JsonObject().put("text", "Hello hooks"));
    receiver.untilAccepted(1, 20);
    String webhookId = http.get("/api/webhooks", admin).json().getJsonArray("webhooks").getJsonObject(0).getString("id");
    while (http.get("/api/webhooks/" + webhookId + "/deliveries", admin).json().getJsonArray("deliveries").isEmpty()) {
      // The attempt is logged through the writer just after the receiver answered.
      TimeUnit.MILLISECONDS.sleep(50);
    }
    browser.byTestId("webhook-log").click();
    browser.await(d -> !browser.allByTestId("webhook-delivery").isEmpty());
    assertThat(browser.byTestId("webhook-delivery").getText()).contains("announcement.posted").contains("204");
    browser.byTestId("webhook-redeliver").click();
    receiver.untilAccepted(2, 20);
    browser.await(d -> browser.allByTestId("webhook-delivery").size() == 2);
    browser.screenshot("facilitator-webhooks");

    browser.byTestId("webhook-disable").click();
    browser.await(d -> browser.byTestId("webhook-state").getText().contains("Disabled"));
    assertThat(browser.driver().findElements(By.cssSelector("[data-testid='webhook-enable']"))).hasSize(1);
    receiver.close();
  }
}

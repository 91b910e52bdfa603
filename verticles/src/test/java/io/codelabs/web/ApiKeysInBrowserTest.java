package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

@DisplayName("API keys in the browser")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiKeysInBrowserTest extends NodeTestBase {
  private static Browser browser;

  @BeforeAll
  static void openBrowser() {
    browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 900);
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
  }

  @Test
  @DisplayName("a facilitator creates a key, sees it once, it works, and revoking it with a confirmation refuses it")
  void createSeeOnceRevoke() {
    String codelabId = codelab(admin);
    browser.signIn(Node.FIRST_FACILITATOR, node.createdPassword);
    browser.byTestId("nav-integrations").click();
    browser.await(d -> d.getCurrentUrl().endsWith("/facilitator/integrations"));

    browser.byTestId("api-key-name").sendKeys("Help bot");
    new Select(browser.byTestId("api-key-codelab")).selectByValue(codelabId);
    browser.byTestId("api-key-create-submit").click();
    String key = browser.byTestId("api-key-secret").getText();
    assertThat(key).startsWith("clk_");
    String events = "/api/codelabs/" + codelabId + "/events?after=0";
    assertThat(http.get(events, key).status()).isEqualTo(200);
    browser.screenshot("api-keys-created-1440");

    browser.byTestId("api-key-dismiss").click();
    browser.go("/facilitator/integrations");
    WebElement row = browser.await(d -> row("Help bot"));
    assertThat(browser.driver().getPageSource()).as("the key is shown once only").doesNotContain(key);
    assertThat(row.getAttribute("data-status")).isEqualTo("active");

    row.findElement(By.cssSelector("[data-testid='api-key-revoke']")).click();
    row("Help bot").findElement(By.cssSelector("[data-testid='api-key-revoke-yes']")).click();
    browser.await(d -> "revoked".equals(row("Help bot").getAttribute("data-status")));
    assertThat(http.get(events, key).status()).isEqualTo(401);
    browser.screenshot("api-keys-revoked-1440");

    browser.viewport(390, 844, true);
    browser.go("/facilitator/integrations");
    browser.await(d -> row("Help bot"));
    browser.screenshot("api-keys-390");
  }

  private static WebElement row(String name) {
    return browser.driver().findElements(By.cssSelector("[data-testid='api-key-row']")).stream()
      .filter(row -> row.getText().contains(name)).findFirst().orElse(null);
  }
}

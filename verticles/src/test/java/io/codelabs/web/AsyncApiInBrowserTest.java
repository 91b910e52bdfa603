package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

@DisplayName("The realtime contract's page in the docs")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncApiInBrowserTest extends NodeTestBase {

  @Test
  @DisplayName("Swagger UI leads to it, and it lists every bridged address as a channel with its messages' fields")
  void rendersTheChannels() {
    try (Browser browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 900)) {
      browser.go("/docs/");
      browser.await(driver -> driver.findElement(By.id("asyncapi-link"))).click();
      browser.await(driver -> driver.getCurrentUrl().endsWith("/docs/asyncapi"));
      browser.await(driver -> "ready".equals(browser.byTestId("asyncapi-page").getDomAttribute("data-state")));

      List<String> channels = browser.allByTestId("asyncapi-channel").stream()
        .map(channel -> channel.getDomAttribute("data-address")).toList();
      assertThat(channels).containsExactlyInAnyOrderElementsOf(Arrays.stream(Address.values())
        .filter(address -> !address.users.isEmpty()).map(address -> address.address).toList());
      assertThat(browser.allByTestId("asyncapi-server")).hasSize(2);
      assertThat(browser.byTestId("asyncapi-index").getText()).contains(Address.INBOX_EVENTS.address, "RECEIVE", "SEND");
      browser.screenshot("asyncapi-docs");

      WebElement publicEvents = browser.driver().findElement(
        By.cssSelector("[data-address='" + Address.PUBLIC_EVENTS.address + "']"));
      assertThat(publicEvents.getText()).contains("RECEIVE", "chat.posted", Address.PUBLIC_EVENTS.description);
      WebElement chatPosted = publicEvents.findElements(By.cssSelector("[data-testid='asyncapi-message']")).stream()
        .filter(message -> message.getText().startsWith("chat.posted")).findFirst().orElseThrow();
      chatPosted.findElement(By.tagName("summary")).click();
      assertThat(chatPosted.findElement(By.tagName("table")).getText()).contains("message", "required");
      assertThat(browser.byTestId("asyncapi-error-codes").getText()).contains("423", "STEP_HELD");
      browser.driver().executeScript("arguments[0].scrollIntoView()", publicEvents);
      browser.screenshot("asyncapi-channel");

      new Select(browser.byTestId("locale-switch")).selectByValue("ko");
      assertThat(publicEvents.getText()).contains("수신");
      new Select(browser.byTestId("locale-switch")).selectByValue("en");
    }
  }
}

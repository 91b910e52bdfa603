package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

@DisplayName("The browser app's front page")
class HomePageTest extends NodeTestBase {
  private static Browser browser;

  @BeforeAll
  static void openBrowser() {
    browser = Browser.open("http://127.0.0.1:" + node.httpPort);
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
  }

  @Test
  @DisplayName("renders in English, switches to Korean and remembers it, and serves app paths with the app")
  void switchesLanguage() {
    browser.go("/");
    assertThat(browser.byTestId("facilitator-entry").getText()).contains("I run a workshop");
    browser.screenshot("home-en");

    new Select(browser.byTestId("locale-switch")).selectByValue("ko");
    assertThat(browser.byTestId("facilitator-entry").getText()).contains("워크숍을 진행합니다");
    browser.driver().navigate().refresh();
    assertThat(browser.byTestId("facilitator-entry").getText()).contains("워크숍을 진행합니다");
    assertThat(browser.driver().findElement(org.openqa.selenium.By.tagName("html")).getAttribute("lang")).isEqualTo("ko");
    new Select(browser.byTestId("locale-switch")).selectByValue("en");
  }
}

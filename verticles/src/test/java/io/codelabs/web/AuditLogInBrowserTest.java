package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.WebElement;

@DisplayName("The audit log page in the browser")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditLogInBrowserTest extends NodeTestBase {
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
  @DisplayName("the admin filters the log by action, loads more, and exports the same entries as CSV; others see no link")
  void filtersAndExports() {
    String codelabId = codelab(admin);
    for (int i = 0; i < 55; i++) {
      http.join(codelabId, unique("neo"), "code-neo-12345");
    }
    String kim = unique("kim");
    newFacilitator(kim);
    browser.signIn(Node.FIRST_FACILITATOR, node.createdPassword);
    browser.byTestId("nav-audit").click();
    browser.await(d -> !browser.allByTestId("audit-row").isEmpty());

    browser.byTestId("audit-action").sendKeys("attendee.join");
    browser.byTestId("audit-apply").click();
    browser.await(d -> actions().stream().allMatch("attendee.join"::equals) && actions().size() == 50);
    browser.byTestId("audit-more").click();
    browser.await(d -> actions().size() == 55);
    assertThat(actions()).containsOnly("attendee.join");
    assertThat(browser.allByTestId("audit-more")).as("nothing more to load").isEmpty();
    browser.driver().executeScript("window.scrollTo(0, 0)");
    browser.screenshot("audit-log");

    String href = browser.byTestId("audit-export").getAttribute("href");
    assertThat(href).contains("/api/audit.csv?action=attendee.join");
    String csv = (String) browser.driver().executeAsyncScript(
      "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", href);
    List<String> lines = csv.lines().skip(1).toList();
    assertThat(lines).hasSize(55).allSatisfy(line -> assertThat(line).contains(",attendee.join,"));

    browser.viewport(390, 844, true);
    browser.go("/facilitator/audit");
    browser.await(d -> !browser.allByTestId("audit-row").isEmpty());
    WebElement firstRow = browser.allByTestId("audit-row").get(0);
    assertThat(firstRow.getSize().getWidth()).isLessThanOrEqualTo(390);
    assertThat((Long) browser.driver().executeScript("return document.documentElement.scrollWidth"))
      .as("nothing wider than the phone").isLessThanOrEqualTo(390L);
    browser.screenshot("audit-log-phone");

    browser.go("/facilitator");
    browser.byTestId("logout").click();
    browser.byTestId("login-form");
    browser.signIn(kim, "correct horse battery");
    browser.byTestId("nav-account");
    assertThat(browser.allByTestId("nav-audit")).as("only the admin sees the audit log link").isEmpty();
  }

  private static List<String> actions() {
    return browser.allByTestId("audit-row-action").stream().map(WebElement::getText).toList();
  }
}

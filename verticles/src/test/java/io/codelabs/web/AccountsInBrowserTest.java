package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@DisplayName("Facilitator accounts in the browser")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccountsInBrowserTest extends NodeTestBase {
  private static Browser browser;

  @BeforeAll
  static void openBrowser() {
    browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1280, 900);
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
  }

  @Test
  @DisplayName("the admin creates and disables an account; that facilitator changes its password and stays signed in")
  void adminAndOwnPassword() {
    String username = unique("kim");
    signIn(Node.FIRST_FACILITATOR, node.createdPassword);
    browser.byTestId("nav-accounts").click();
    browser.byTestId("account-username").sendKeys(username);
    browser.byTestId("account-display-name").sendKeys("Kim Lee");
    browser.byTestId("account-password").sendKeys("first long password");
    browser.byTestId("account-create-submit").click();
    browser.await(d -> accountRow(username));

    accountRow(username).findElement(By.cssSelector("[data-testid='account-disable']")).click();
    browser.await(d -> accountRow(username).getText().contains("Disabled"));
    assertThat(http.post("/api/auth/login", null, new JsonObject()
      .put("username", username).put("password", "first long password")).status()).isEqualTo(403);
    accountRow(username).findElement(By.cssSelector("[data-testid='account-reset']")).click();
    browser.screenshot("facilitator-accounts");
    accountRow(username).findElement(By.cssSelector("[data-testid='account-enable']")).click();
    browser.await(d -> accountRow(username).getText().contains("Active"));
    browser.byTestId("logout").click();

    String scriptToken = http.login(username, "first long password");
    signIn(username, "first long password");
    assertThat(browser.allByTestId("nav-accounts")).as("only the admin sees the accounts page").isEmpty();
    browser.byTestId("nav-account").click();
    browser.byTestId("password-current").sendKeys("first long password");
    browser.byTestId("password-new").sendKeys("second long password");
    browser.byTestId("password-repeat").sendKeys("second long password");
    browser.byTestId("password-submit").click();
    browser.byTestId("password-changed");
    browser.screenshot("facilitator-account");

    assertThat(http.get("/api/codelabs", scriptToken).status()).as("the other sign-in ended").isEqualTo(401);
    browser.go("/facilitator");
    browser.byTestId("new-codelab-title").sendKeys("After the change");
    browser.byTestId("create-codelab").click();
    browser.await(d -> d.getCurrentUrl().contains("/facilitator/codelabs/"));
  }

  private static void signIn(String username, String password) {
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(username);
    browser.byTestId("login-password").sendKeys(password);
    browser.byTestId("login-submit").click();
    browser.byTestId("nav-account");
  }

  private static WebElement accountRow(String username) {
    return browser.driver().findElement(By.cssSelector("[data-testid='account-row'][data-username='" + username + "']"));
  }
}

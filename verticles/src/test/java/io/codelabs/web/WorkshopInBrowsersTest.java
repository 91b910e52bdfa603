package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * A whole workshop in three browsers: the facilitator writes and runs it from the browser alone,
 * two attendees follow it from theirs, and one attendee's network fails for a while.
 */
@DisplayName("A workshop run entirely in browsers")
class WorkshopInBrowsersTest extends NodeTestBase {

  @Test
  @DisplayName("facilitator writes and opens a codelab; two attendees join and progress; help, chat, DM and a cut socket behave")
  void wholeWorkshop() {
    CuttableLink link = CuttableLink.to(node.vertx, node.bridgePort);
    HttpApiVerticle flakyApi = new HttpApiVerticle();
    String flakyDeployment = node.vertx.deployVerticle(flakyApi, new DeploymentOptions().setConfig(TestNode.config(
      dataDir, new JsonObject().put(HttpApiVerticle.REALTIME_URL,
        "http://127.0.0.1:" + link.port() + BridgeVerticle.PATH)).json())).await();
    try (Browser facilitator = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 1000);
         Browser ana = Browser.open("http://127.0.0.1:" + node.httpPort);
         Browser ben = Browser.open("http://127.0.0.1:" + flakyApi.actualPort())) {
      String codelabId = writeCodelab(facilitator);
      facilitator.byTestId("open-dashboard").click();
      facilitator.byTestId("dashboard");
      awaitOnline(facilitator);

      String shortCode = http.get("/api/codelabs/" + codelabId, null).json().getString("shortCode");
      ana.go("/j/" + shortCode);
      join(ana, "ana");
      ana.await(d -> d.getCurrentUrl().endsWith("/c/" + codelabId + "/step/1"));
      ben.go("/c/" + codelabId);
      join(ben, "ben");
      awaitOnline(ana);
      awaitOnline(ben);

      next(ana, "Build");
      next(ana, "Ship");
      next(ben, "Build");
      facilitator.await(d -> "2".equals(row(facilitator, "ana").getAttribute("data-step"))
        && "1".equals(row(facilitator, "ben").getAttribute("data-step")));
      assertThat(facilitator.byTestId("attendee-total").getText()).contains("2");

      ana.byTestId("help-button").click();
      ana.byTestId("help-send").click();
      WebElement request = facilitator.await(d -> helpItem(facilitator, "ana"));
      assertThat(request.getText()).contains("ana");
      request.findElement(By.cssSelector("[data-testid='help-claim']")).click();
      ana.await(d -> "claimed".equals(ana.byTestId("help-status").getDomAttribute("data-state")));
      facilitator.await(d -> "claimed".equals(helpItem(facilitator, "ana").getAttribute("data-status")));
      helpItem(facilitator, "ana").findElement(By.cssSelector("[data-testid='help-resolve']")).click();
      ana.await(d -> "resolved".equals(ana.byTestId("help-status").getDomAttribute("data-state")));
      facilitator.await(d -> helpItem(facilitator, "ana") == null);

      say(facilitator, "Welcome, both of you");
      ana.await(d -> chatTexts(ana).contains("Welcome, both of you"));
      ben.await(d -> chatTexts(ben).contains("Welcome, both of you"));
      say(ben, "Hi from Ben");
      facilitator.await(d -> facilitator.byTestId("chat-messages").getText().contains("Hi from Ben"));

      row(facilitator, "ana").findElement(By.cssSelector("[data-testid='attendee-dm']")).click();
      facilitator.await(d -> "true".equals(facilitator.byTestId("chat-tab-dm").getAttribute("aria-selected")));
      say(facilitator, "Ana, your JDK is the old one");
      ana.byTestId("chat-tab-direct").click();
      ana.await(d -> chatTexts(ana).contains("Ana, your JDK is the old one"));
      say(facilitator, "Come to the front desk after this step");
      ana.await(d -> chatTexts(ana).contains("Come to the front desk after this step"));
      facilitator.byTestId("chat-tab-public").click();
      say(facilitator, "Ten minutes left");
      ben.await(d -> chatTexts(ben).contains("Ten minutes left"));
      assertThat(ben.driver().getPageSource()).doesNotContain("your JDK is the old one", "front desk");
      ana.screenshot("workshop-attendee-direct");
      ana.byTestId("chat-tab-public").click();

      link.cut();
      ben.await(d -> "offline".equals(ben.byTestId("connection-status").getDomAttribute("data-state")));
      say(facilitator, "Missed while away");
      facilitator.byTestId("announcement-input").sendKeys("Lunch at noon");
      facilitator.byTestId("announcement-post").click();
      ana.await(d -> chatTexts(ana).contains("Missed while away"));
      assertThat(chatTexts(ben)).doesNotContain("Missed while away");
      link.restore();
      awaitOnline(ben);
      ben.await(d -> chatTexts(ben).contains("Missed while away")
        && ben.byTestId("chat-messages").getText().contains("Lunch at noon"));
      assertThat(chatTexts(ben)).containsSubsequence("Welcome, both of you", "Hi from Ben", "Ten minutes left",
        "Missed while away");
      assertThat(chatTexts(ben).stream().filter("Missed while away"::equals)).hasSize(1);
      facilitator.screenshot("workshop-dashboard");
      ben.screenshot("workshop-attendee-after-reconnect");
    } finally {
      node.vertx.undeploy(flakyDeployment).await();
      link.close().await();
    }
  }

  /** Signs in through the login page and writes a three-step codelab in the editor; answers its id. */
  private static String writeCodelab(Browser facilitator) {
    facilitator.go("/facilitator");
    facilitator.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    facilitator.byTestId("login-password").sendKeys(node.createdPassword);
    facilitator.byTestId("login-submit").click();
    facilitator.byTestId("new-codelab-title").sendKeys(unique("Workshop "));
    facilitator.byTestId("create-codelab").click();
    List<String[]> steps = List.of(new String[] {"Setup", "Install **Java 17**."},
      new String[] {"Build", "```java\nclass Hello {}\n```"}, new String[] {"Ship", "Deploy it."});
    for (int i = 0; i < steps.size(); i++) {
      int count = i + 1;
      facilitator.byTestId("add-step").click();
      facilitator.await(d -> facilitator.allByTestId("step-item").size() == count);
      WebElement title = facilitator.byTestId("step-title");
      title.clear();
      title.sendKeys(steps.get(i)[0]);
      facilitator.byTestId("step-markdown").sendKeys(steps.get(i)[1]);
    }
    facilitator.byTestId("save").click();
    facilitator.byTestId("saved");
    return facilitator.await(d -> d.getCurrentUrl().replaceAll(".*/codelabs/([^/]+).*", "$1"));
  }

  private static void join(Browser attendee, String nickname) {
    attendee.byTestId("join-nickname").sendKeys(nickname);
    attendee.byTestId("join-code").sendKeys("code-" + nickname);
    attendee.byTestId("join-submit").click();
    attendee.byTestId("step-title");
  }

  private static void next(Browser attendee, String expectedTitle) {
    attendee.byTestId("step-next").click();
    attendee.await(d -> attendee.byTestId("step-title").getText().equals(expectedTitle));
  }

  private static void awaitOnline(Browser browser) {
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getDomAttribute("data-state")));
  }

  private static void say(Browser browser, String text) {
    WebElement input = browser.byTestId("chat-input");
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
    browser.await(d -> browser.byTestId("chat-input").getDomProperty("value").isEmpty());
  }

  private static List<String> chatTexts(Browser attendee) {
    return attendee.allByTestId("chat-message").stream()
      .map(message -> message.findElement(By.tagName("p")).getText()).toList();
  }

  private static WebElement row(Browser facilitator, String nickname) {
    return facilitator.driver().findElement(
      By.cssSelector("[data-testid='attendee-row'][data-nickname='" + nickname + "']"));
  }

  private static WebElement helpItem(Browser facilitator, String nickname) {
    return facilitator.allByTestId("help-item").stream()
      .filter(item -> nickname.equals(item.getAttribute("data-nickname"))).findFirst().orElse(null);
  }
}

package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

@DisplayName("The codelab editor in the browser: CodeMirror, save bar, unsaved-work warnings, kept drafts, undo and phones")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EditorInBrowserTest extends NodeTestBase {
  private static final int PHONE = 390;
  private static final String LONG_TITLE = "Write a verticle that answers HTTP requests and publishes every greeting on the event bus";

  @Test
  @DisplayName("typing goes into CodeMirror as typed; Enter in a title does not save, Ctrl+S does, and the server has the change")
  void typesAndSavesWithTheKeyboard() {
    String id = twoSteps();
    try (Browser browser = Browser.open(base(), 1440, 900)) {
      openEditor(browser, id);
      WebElement markdown = browser.byTestId("step-markdown");
      assertThat(markdown.getDomAttribute("contenteditable")).isEqualTo("true");
      assertThat(browser.driver().findElements(By.cssSelector(".cm-lineNumbers .cm-gutterElement")).size()).isGreaterThanOrEqualTo(3);
      assertThat(browser.allByTestId("save-bar").get(0).getDomAttribute("data-state")).isEqualTo("clean");

      markdown.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "\n\n- compile\n- test **now**\n\n```java\nclass Hello { }\n```");
      String expected = "# Set up\n\nInstall Java 17.\n\n- compile\n- test **now**\n\n```java\nclass Hello { }\n```";
      assertThat(markdown.getDomProperty("value")).isEqualTo(expected);
      assertThat(markdown.findElements(By.xpath(".//span[text()='**']"))).as("the emphasis marks are highlighted").isNotEmpty();
      assertThat(browser.byTestId("unsaved").isDisplayed()).isTrue();
      browser.await(d -> browser.byTestId("step-preview").getDomProperty("innerHTML").contains("<strong>now</strong>"));

      markdown.sendKeys(Keys.chord(Keys.CONTROL, "f"));
      WebElement search = browser.await(d -> d.findElement(By.cssSelector(".cm-search input[name='search']")));
      search.sendKeys("Hello");
      assertThat(browser.driver().findElements(By.cssSelector(".cm-searchMatch"))).isNotEmpty();
      search.sendKeys(Keys.ESCAPE);

      WebElement title = browser.byTestId("step-title");
      title.sendKeys(" today", Keys.ENTER);
      assertThat(browser.byTestId("save-bar").getDomAttribute("data-state")).isEqualTo("changed");
      assertThat(stepOne(id).getString("title")).isEqualTo("Set up");

      markdown.sendKeys(Keys.chord(Keys.CONTROL, "s"));
      browser.byTestId("saved");
      assertThat(browser.byTestId("save-bar").getDomAttribute("data-state")).isEqualTo("saved");
      JsonObject saved = stepOne(id);
      assertThat(saved.getString("title")).isEqualTo("Set up today");
      assertThat(saved.getString("markdown")).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("the preview follows the editor's scroll")
  void previewFollowsTheEditor() {
    String paragraphs = String.join("\n\n", IntStream.rangeClosed(1, 80).mapToObj(n -> "Paragraph " + n + " of a long step.").toList());
    String id = http.createCodelab(admin, new JsonObject().put("title", unique("Long ")).put("steps",
      new JsonArray().add(step("Long", paragraphs))));
    try (Browser browser = Browser.open(base(), 1440, 900)) {
      openEditor(browser, id);
      browser.await(d -> browser.byTestId("step-preview").getText().contains("Paragraph 80"));
      WebElement preview = browser.byTestId("preview-scroll");
      assertThat(number(browser, "return arguments[0].scrollTop", preview)).isZero();
      browser.driver().executeScript("const s = document.querySelector('.cm-scroller'); s.scrollTop = s.scrollHeight");
      browser.await(d -> number(browser, "const p = arguments[0]; return p.scrollHeight - p.clientHeight - p.scrollTop", preview) <= 2);
    }
  }

  @Test
  @DisplayName("leaving with unsaved edits warns, in the app and on reload; the kept draft is offered back and cleared by a save")
  void warnsAndKeepsADraft() {
    String id = twoSteps();
    try (Browser browser = Browser.open(base(), 1440, 900)) {
      openEditor(browser, id);
      assertThat(leavingIsStopped(browser)).as("nothing to lose yet").isFalse();
      WebElement markdown = browser.byTestId("step-markdown");
      markdown.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "\nKept in the browser.");
      assertThat(leavingIsStopped(browser)).isTrue();

      browser.byTestId("open-dashboard").click();
      Alert leave = browser.await(ExpectedConditions.alertIsPresent()::apply);
      assertThat(leave.getText()).contains("not saved");
      leave.dismiss();
      assertThat(browser.driver().getCurrentUrl()).endsWith("/facilitator/codelabs/" + id);
      assertThat(browser.allByTestId("dashboard")).isEmpty();

      browser.await(d -> browser.driver().executeScript("return localStorage.getItem('codelabs.editorDraft.' + arguments[0])", id));
      browser.driver().navigate().refresh();
      browser.byTestId("draft-offer");
      assertThat(browser.byTestId("step-markdown").getDomProperty("value")).doesNotContain("Kept in the browser.");
      browser.screenshot("editor-draft-offer-desktop-en-light");
      browser.byTestId("draft-restore").click();
      browser.await(d -> browser.byTestId("step-markdown").getDomProperty("value").endsWith("\nKept in the browser."));
      assertThat(browser.byTestId("save-bar").getDomAttribute("data-state")).isEqualTo("changed");

      browser.byTestId("save").click();
      browser.byTestId("saved");
      assertThat(stepOne(id).getString("markdown")).endsWith("\nKept in the browser.");
      browser.await(d -> browser.driver().executeScript("return localStorage.getItem('codelabs.editorDraft.' + arguments[0]) === null", id));
      browser.driver().navigate().refresh();
      browser.byTestId("step-markdown");
      assertThat(browser.allByTestId("draft-offer")).isEmpty();
      browser.byTestId("open-dashboard").click();
      browser.byTestId("dashboard");
    }
  }

  @Test
  @DisplayName("a deleted step comes back with Undo, in its place and selected")
  void undoesADeletedStep() {
    String id = twoSteps();
    try (Browser browser = Browser.open(base(), 1440, 900)) {
      openEditor(browser, id);
      browser.byTestId("step-markdown");
      browser.allByTestId("step-delete").get(0).click();
      browser.await(d -> browser.allByTestId("step-item").size() == 1);
      assertThat(browser.byTestId("step-deleted").getText()).contains("Set up");
      assertThat(browser.byTestId("step-title").getDomProperty("value")).isEqualTo("Run it");
      browser.byTestId("step-undo").click();
      browser.await(d -> browser.allByTestId("step-item").size() == 2);
      assertThat(browser.allByTestId("step-select-title").stream().map(WebElement::getText)).containsExactly("Set up", "Run it");
      assertThat(browser.byTestId("step-title").getDomProperty("value")).isEqualTo("Set up");
      assertThat(browser.allByTestId("step-deleted")).isEmpty();
      assertThat(browser.byTestId("save-bar").getDomAttribute("data-state")).isEqualTo("clean");

      browser.allByTestId("step-delete").get(1).click();
      browser.byTestId("save").click();
      browser.byTestId("saved");
      assertThat(steps(id).stream().map(step -> ((JsonObject) step).getString("title"))).containsExactly("Set up");
    }
  }

  @Test
  @DisplayName("forty steps: the list shows full titles and durations and scrolls on its own; the save bar stays in view; a phone has no sideways scroll")
  void fortyStepsOnADesktopAndAPhone() {
    JsonArray many = new JsonArray().add(step(LONG_TITLE, "# Verticles\n\nA **long** title."));
    IntStream.rangeClosed(2, 40).forEach(n -> many.add(step("Step " + n, "Text " + n + ".")));
    String id = http.createCodelab(admin, new JsonObject().put("title", unique("Forty ")).put("steps", many));
    try (Browser browser = Browser.open(base(), 1440, 900)) {
      openEditor(browser, id);
      browser.byTestId("step-markdown");
      WebElement first = browser.allByTestId("step-select-title").get(0);
      assertThat(first.getText()).isEqualTo(LONG_TITLE);
      assertThat(browser.allByTestId("step-select-duration").get(0).getText()).isEqualTo("5 min");
      WebElement list = browser.byTestId("step-list");
      assertThat(number(browser, "return arguments[0].scrollHeight - arguments[0].clientHeight", list)).isPositive();
      assertThat(inView(browser, browser.byTestId("save"))).isTrue();
      browser.byTestId("add-step").click();
      browser.await(d -> browser.allByTestId("step-item").size() == 41);
      assertThat(number(browser, "return arguments[0].scrollTop", list)).as("the list scrolled to the new step").isPositive();
      browser.await(d -> browser.byTestId("step-preview").getText().isEmpty());
      assertThat((Boolean) browser.driver().executeScript("""
        const item = arguments[0].getBoundingClientRect();
        const list = arguments[1].getBoundingClientRect();
        return item.top >= list.top && item.bottom <= list.bottom + 0.5""", browser.allByTestId("step-item").get(40), list))
        .as("the new step is shown inside the list").isTrue();
      browser.allByTestId("step-delete").get(40).click();
      browser.await(d -> "clean".equals(browser.byTestId("save-bar").getDomAttribute("data-state")));
      browser.allByTestId("step-select").get(0).click();
      for (String[] look : List.of(new String[] {"en", "light"}, new String[] {"ko", "dark"}, new String[] {"en", "dark"}, new String[] {"ko", "light"})) {
        look(browser, look[0], look[1]);
        browser.byTestId("step-markdown");
        browser.await(d -> browser.byTestId("step-preview").getText().contains("Verticles"));
        browser.screenshot("editor-desktop-" + look[0] + "-" + look[1]);
      }
    }
    try (Browser phone = Browser.open(base(), PHONE, 844)) {
      phone.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", PHONE, "height", 844, "deviceScaleFactor", 1, "mobile", true));
      openEditor(phone, id);
      phone.byTestId("step-markdown").sendKeys(Keys.chord(Keys.CONTROL, Keys.END), " Typed on a phone.");
      assertThat(number(phone, "return document.documentElement.scrollWidth", null)).as("page width").isLessThanOrEqualTo(PHONE);
      phone.byTestId("save").click();
      phone.byTestId("saved");
      for (String[] look : List.of(new String[] {"en", "light"}, new String[] {"ko", "dark"}, new String[] {"en", "dark"}, new String[] {"ko", "light"})) {
        look(phone, look[0], look[1]);
        phone.await(d -> phone.byTestId("step-preview").getText().contains("Typed on a phone."));
        assertThat(number(phone, "return document.documentElement.scrollWidth", null)).as("page width").isLessThanOrEqualTo(PHONE);
        assertThat(inView(phone, phone.byTestId("save"))).isTrue();
        phone.screenshot("editor-phone-" + look[0] + "-" + look[1]);
      }
    }
  }

  private static String twoSteps() {
    return http.createCodelab(admin, new JsonObject().put("title", unique("Editor ")).put("steps",
      new JsonArray().add(step("Set up", "# Set up\n\nInstall Java 17.")).add(step("Run it", "Run `mvn package`."))));
  }

  private static String base() {
    return "http://127.0.0.1:" + node.httpPort;
  }

  private static void openEditor(Browser browser, String codelabId) {
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    browser.byTestId("login-submit").click();
    browser.byTestId("codelab-list");
    browser.go("/facilitator/codelabs/" + codelabId);
    browser.byTestId("editor");
  }

  /** Sets locale and theme as the page's own switches store them, and reloads. */
  private static void look(Browser browser, String locale, String theme) {
    browser.driver().executeScript("localStorage.setItem('locale', arguments[0]); localStorage.setItem('theme', arguments[1]);",
      locale, theme);
    browser.driver().navigate().refresh();
  }

  /** Whether the page's beforeunload handler asks the browser to keep the page. */
  private static boolean leavingIsStopped(Browser browser) {
    return (Boolean) browser.driver().executeScript(
      "const event = new Event('beforeunload', { cancelable: true }); dispatchEvent(event); return event.defaultPrevented");
  }

  /** Whether the element is on screen and not under the sticky save bar (unless it is in that bar). */
  private static boolean inView(Browser browser, WebElement element) {
    return (Boolean) browser.driver().executeScript("""
      const r = arguments[0].getBoundingClientRect();
      const bar = document.querySelector('[data-testid=save-bar]');
      const bottom = bar.contains(arguments[0]) ? innerHeight : bar.getBoundingClientRect().top;
      return r.top >= 0 && r.bottom <= bottom + 0.5 && r.height > 0""", element);
  }

  private static long number(Browser browser, String script, WebElement element) {
    return ((Number) browser.driver().executeScript(script, element)).longValue();
  }

  private static JsonArray steps(String codelabId) {
    return http.get("/api/codelabs/" + codelabId, admin).json().getJsonArray("steps");
  }

  private static JsonObject stepOne(String codelabId) {
    return steps(codelabId).getJsonObject(0);
  }
}

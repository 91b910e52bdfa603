package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

@DisplayName("The attendee's step view, Korean line breaking, the phone header and the branded not-found pages")
class StepViewInBrowserTest extends NodeTestBase {
  private static final String KOREAN = "버텍스 이벤트 버스로 실시간 채팅 서버를 만들고 브라우저에서 메시지를 주고받아 봅니다. "
    + "이벤트 루프를 막지 않도록 데이터베이스 작업은 워커 스레드에서 실행합니다.";

  private static String base() {
    return "http://127.0.0.1:" + node.httpPort;
  }

  private static Browser desktop() {
    return Browser.open(base(), 1440, 1000).viewport(1440, 900, false);
  }

  private static Browser phone() {
    return Browser.open(base(), 500, 900).viewport(390, 844, true);
  }

  private static String workshop() {
    return http.createCodelab(admin, new JsonObject().put("title", unique("Kotlin 워크숍 "))
      .put("summary", KOREAN).put("author", "Kim")
      .put("steps", new JsonArray()
        .add(step("Set up", "Install **Java 17**."))
        .add(step("이벤트 버스", KOREAN + "\n\n" + KOREAN))
        .add(step("Write a verticle", "Write it."))
        .add(step("Ship it", "Package and deploy."))));
  }

  /** Opens an address of the workshop, joins from its join form and waits for the step view. */
  private static void joinAt(Browser browser, String path, String nickname) {
    browser.go(path);
    browser.byTestId("join-nickname").sendKeys(nickname);
    browser.byTestId("join-code").sendKeys(nickname + "-code-1");
    browser.byTestId("join-submit").click();
    browser.byTestId("step-title");
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getDomAttribute("data-state")));
  }

  private static String title(Browser browser) {
    return browser.byTestId("step-title").getText();
  }

  private static String path(Browser browser) {
    return java.net.URI.create(browser.driver().getCurrentUrl()).getPath();
  }

  private static List<String> tocStates(Browser browser) {
    return browser.allByTestId("toc-item").stream().map(item -> item.getDomAttribute("data-state")).toList();
  }

  private static void press(Browser browser, Keys key) {
    new Actions(browser.driver()).sendKeys(key).perform();
  }

  private static void awaitStep(Browser browser, String expected) {
    browser.await(d -> title(browser).equals(expected));
  }

  private static JsonObject progressOf(String codelabId, String nickname) {
    return http.get("/api/codelabs/" + codelabId + "/attendees", admin).json().getJsonArray("attendees").stream()
      .map(JsonObject.class::cast).filter(a -> a.getString("nickname").equals(nickname)).findFirst().orElseThrow();
  }

  /** Sets locale and theme as the page's own switches store them, and reloads. */
  private static void look(Browser browser, String locale, String theme) {
    browser.driver().executeScript("localStorage.setItem('locale', arguments[0]); localStorage.setItem('theme', arguments[1]);",
      locale, theme);
    browser.driver().navigate().refresh();
  }

  private static String computed(Browser browser, WebElement element, String property) {
    return (String) browser.driver().executeScript("return getComputedStyle(arguments[0])[arguments[1]]", element, property);
  }

  @Test
  @DisplayName("a step address opens that step; arrow keys move (not while typing); Back and Forward move through steps; progress counts completed steps only")
  void keyboardDeepLinksAndProgress() {
    String id = workshop();
    try (Browser ann = desktop()) {
      joinAt(ann, "/c/" + id + "/step/3", "ann");
      assertThat(title(ann)).isEqualTo("Write a verticle");
      assertThat(path(ann)).isEqualTo("/c/" + id + "/step/3");
      assertThat(tocStates(ann)).containsExactly("todo", "todo", "current", "todo");
      assertThat(ann.byTestId("progress-count").getText()).isEqualTo("0 of 4 steps done");
      assertThat(ann.byTestId("progress-bar").getDomAttribute("aria-valuenow")).isEqualTo("0");
      ann.await(d -> progressOf(id, "ann").getInteger("currentStep") == 2);

      press(ann, Keys.ARROW_RIGHT);
      awaitStep(ann, "Ship it");
      assertThat(path(ann)).isEqualTo("/c/" + id + "/step/4");
      assertThat(tocStates(ann)).containsExactly("todo", "todo", "done", "current");
      assertThat(ann.byTestId("progress-bar").getDomAttribute("aria-valuenow")).isEqualTo("25");
      press(ann, Keys.ARROW_RIGHT);
      assertThat(title(ann)).isEqualTo("Ship it");

      ann.driver().navigate().back();
      awaitStep(ann, "Write a verticle");
      assertThat(path(ann)).isEqualTo("/c/" + id + "/step/3");
      ann.driver().navigate().forward();
      awaitStep(ann, "Ship it");

      WebElement chat = ann.byTestId("chat-input");
      chat.sendKeys("abc", Keys.ARROW_LEFT, Keys.ARROW_LEFT);
      assertThat(title(ann)).isEqualTo("Ship it");
      assertThat(chat.getDomProperty("selectionStart")).isEqualTo("1");
      ann.byTestId("step-title").click();

      ann.allByTestId("toc-item").get(0).click();
      awaitStep(ann, "Set up");
      assertThat(path(ann)).isEqualTo("/c/" + id + "/step/1");
      assertThat(ann.byTestId("progress-count").getText()).isEqualTo("1 of 4 steps done");
      press(ann, Keys.ARROW_LEFT);
      assertThat(path(ann)).isEqualTo("/c/" + id + "/step/1");

      ann.go("/c/" + id + "/step/2");
      awaitStep(ann, "이벤트 버스");
      ann.await(d -> progressOf(id, "ann").getInteger("currentStep") == 1);
      ann.go("/c/" + id);
      awaitStep(ann, "이벤트 버스");
      ann.await(d -> path(ann).equals("/c/" + id + "/step/2"));
      ann.go("/c/" + id + "/step/99");
      awaitStep(ann, "Ship it");
      ann.await(d -> path(ann).equals("/c/" + id + "/step/4"));
      assertThat(progressOf(id, "ann").getJsonArray("completedSteps")).containsExactly(2);
    }
  }

  @Test
  @DisplayName("Next sits right after the step; materials and hand-in have their own tabs; finishing the last step leads to the completion screen")
  void layoutTabsAndCompletion() {
    String id = workshop();
    try (Browser bea = desktop()) {
      joinAt(bea, "/c/" + id, "bea");
      bea.await(d -> path(bea).equals("/c/" + id + "/step/1"));
      assertThat(bea.allByTestId("hand-in-link")).isEmpty();
      assertThat(bea.allByTestId("tab-materials")).isEmpty();
      long articleBottom = (Long) bea.driver().executeScript(
        "return Math.round(document.querySelector('article').getBoundingClientRect().bottom)");
      long navTop = (Long) bea.driver().executeScript(
        "return Math.round(document.querySelector('[data-testid=step-nav]').getBoundingClientRect().top)");
      assertThat(navTop - articleBottom).isBetween(0L, 40L);
      for (String[] look : new String[][] {{"en", "dark"}, {"ko", "light"}, {"ko", "dark"}, {"en", "light"}}) {
        look(bea, look[0], look[1]);
        awaitStep(bea, "Set up");
        bea.screenshot("stepview-step-1440-" + look[0] + "-" + look[1]);
      }

      http.post("/api/codelabs/" + id + "/materials", admin, new JsonObject().put("url", "https://vertx.io/docs/")
        .put("title", "Vert.x docs"));
      bea.byTestId("tab-materials").click();
      bea.await(d -> path(bea).equals("/c/" + id + "/materials"));
      assertThat(bea.byTestId("material-link").getText()).isEqualTo("Vert.x docs");
      assertThat(bea.allByTestId("step-title")).isEmpty();
      bea.byTestId("tab-hand-in").click();
      bea.byTestId("hand-in-link");
      assertThat(path(bea)).isEqualTo("/c/" + id + "/hand-in");
      bea.driver().navigate().back();
      bea.byTestId("material-link");
      bea.byTestId("tab-steps").click();
      awaitStep(bea, "Set up");

      bea.byTestId("step-next").click();
      awaitStep(bea, "이벤트 버스");
      bea.allByTestId("toc-item").get(3).click();
      awaitStep(bea, "Ship it");
      bea.byTestId("step-finish").click();
      bea.await(d -> path(bea).equals("/c/" + id + "/done"));
      WebElement screen = bea.byTestId("completion-screen");
      assertThat(screen.getDomAttribute("data-all-done")).isEqualTo("false");
      assertThat(bea.byTestId("completion-summary").getText()).isEqualTo("2 of 4 steps done");
      assertThat(bea.allByTestId("completion-not-done")).extracting(WebElement::getText)
        .containsExactly("2. 이벤트 버스", "3. Write a verticle");
      bea.byTestId("feedback-send");
      bea.screenshot("stepview-done-partial-1440-en-light");

      bea.allByTestId("completion-not-done").get(0).click();
      awaitStep(bea, "이벤트 버스");
      bea.byTestId("step-next").click();
      awaitStep(bea, "Write a verticle");
      bea.byTestId("step-next").click();
      awaitStep(bea, "Ship it");
      bea.byTestId("step-finish").click();
      bea.await(d -> "true".equals(bea.byTestId("completion-screen").getDomAttribute("data-all-done")));
      assertThat(bea.byTestId("progress-bar").getDomAttribute("aria-valuenow")).isEqualTo("100");
      bea.await(d -> progressOf(id, "bea").getJsonArray("completedSteps").size() == 4);
      bea.screenshot("stepview-done-1440-en-light");
      look(bea, "ko", "dark");
      bea.byTestId("completion-screen");
      bea.screenshot("stepview-done-1440-ko-dark");

      bea.driver().navigate().back();
      awaitStep(bea, "Ship it");
    }
  }

  @Test
  @DisplayName("the chat column collapses on a desktop and stays collapsed after a reload")
  void chatCollapses() {
    String id = workshop();
    try (Browser cy = desktop()) {
      joinAt(cy, "/c/" + id, "cy");
      WebElement toggle = cy.byTestId("chat-toggle");
      assertThat(cy.byTestId("chat-panel").isDisplayed()).isTrue();
      assertThat(toggle.getDomAttribute("aria-expanded")).isEqualTo("true");
      long narrow = articleWidth(cy);

      toggle.click();
      cy.await(d -> !cy.byTestId("chat-panel").isDisplayed());
      assertThat(cy.byTestId("chat-toggle").getDomAttribute("aria-expanded")).isEqualTo("false");
      assertThat(articleWidth(cy)).isGreaterThan(narrow);
      cy.screenshot("stepview-chat-collapsed-1440-en-light");

      cy.driver().navigate().refresh();
      awaitStep(cy, "Set up");
      assertThat(cy.byTestId("chat-panel").isDisplayed()).isFalse();
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", "t-" + java.util.UUID.randomUUID())
        .put("text", "Welcome all"));
      cy.await(d -> cy.byTestId("chat-toggle-unread").getText().startsWith("1"));
      cy.byTestId("chat-toggle").click();
      cy.await(d -> cy.byTestId("chat-panel").isDisplayed());
      cy.await(d -> cy.allByTestId("chat-toggle-unread").isEmpty());
      cy.byTestId("chat-close").click();
      cy.await(d -> !cy.byTestId("chat-panel").isDisplayed());
    }
  }

  private static long articleWidth(Browser browser) {
    return (Long) browser.driver().executeScript("return Math.round(document.querySelector('main').getBoundingClientRect().width)");
  }

  @Test
  @DisplayName("Korean never breaks inside a word: steps, chat, hints, the join form and the dashboard use keep-all")
  void koreanKeepsWordsWhole() {
    String id = workshop();
    try (Browser dan = phone(); Browser facilitator = desktop()) {
      dan.go("/c/" + id);
      look(dan, "ko", "light");
      WebElement hint = dan.byTestId("join-summary");
      assertThat(computed(dan, hint, "wordBreak")).isEqualTo("keep-all");
      assertThat(computed(dan, hint, "overflowWrap")).isEqualTo("anywhere");
      joinAt(dan, "/c/" + id + "/step/2", "dan");
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", "t-" + java.util.UUID.randomUUID())
        .put("text", KOREAN));
      for (String testId : List.of("step-content", "step-title", "help-button", "page-title")) {
        assertThat(computed(dan, dan.byTestId(testId), "wordBreak")).as(testId).isEqualTo("keep-all");
      }
      dan.byTestId("chat-toggle").click();
      WebElement message = dan.await(d -> dan.allByTestId("chat-message").stream()
        .filter(m -> m.getText().contains("버텍스")).findFirst().orElse(null));
      assertThat(computed(dan, message.findElement(By.tagName("p")), "wordBreak")).isEqualTo("keep-all");
      dan.byTestId("chat-close").click();

      facilitator.go("/facilitator");
      facilitator.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
      facilitator.byTestId("login-password").sendKeys(node.createdPassword);
      facilitator.byTestId("login-submit").click();
      facilitator.byTestId("codelab-list");
      facilitator.go("/facilitator/codelabs/" + id + "/dashboard");
      assertThat(computed(facilitator, facilitator.byTestId("dashboard"), "wordBreak")).isEqualTo("keep-all");
    }
  }

  @Test
  @DisplayName("the header fits 390 px in both languages, for an attendee and on the codelab list: nothing overflows sideways and no control wraps")
  void phoneHeaderFits() {
    String id = workshop();
    try (Browser eve = phone()) {
      joinAt(eve, "/c/" + id + "/step/2", "eve");
      for (String locale : List.of("en", "ko")) {
        for (String theme : List.of("light", "dark")) {
          look(eve, locale, theme);
          awaitStep(eve, "이벤트 버스");
          Map<String, Object> header = headerMeasures(eve);
          String look = locale + "-" + theme;
          assertThat(((Number) header.get("pageWidth")).intValue()).as(look).isLessThanOrEqualTo(390);
          assertThat(((Number) header.get("headerWidth")).intValue()).as(look).isLessThanOrEqualTo(390);
          assertThat(((Number) header.get("headerHeight")).intValue()).as(look).isLessThanOrEqualTo(57);
          assertThat(((Number) header.get("tallest")).doubleValue()).as(look).isLessThanOrEqualTo(36);
          assertThat(((Number) header.get("rightEdge")).doubleValue()).as(look).isLessThanOrEqualTo(390);
          WebElement themeToggle = eve.byTestId("theme-toggle");
          assertThat(themeToggle.getDomAttribute("aria-label")).as(look).isNotBlank();
          assertThat(themeToggle.getDomAttribute("aria-pressed")).as(look).isEqualTo(String.valueOf(theme.equals("dark")));
          eve.screenshot("stepview-step-390-" + look);
        }
      }
      eve.go("/c/" + id + "/done");
      eve.byTestId("completion-screen");
      eve.screenshot("stepview-done-390-ko-dark");
      look(eve, "en", "light");
      eve.byTestId("completion-screen");
      eve.screenshot("stepview-done-390-en-light");

      eve.go("/facilitator");
      eve.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
      eve.byTestId("login-password").sendKeys(node.createdPassword);
      eve.byTestId("login-submit").click();
      eve.byTestId("codelab-list");
      for (String locale : List.of("en", "ko")) {
        look(eve, locale, "light");
        eve.byTestId("codelab-list");
        eve.byTestId("nav-accounts");
        Map<String, Object> list = headerMeasures(eve);
        assertThat(((Number) list.get("pageWidth")).intValue()).as("codelab list " + locale).isLessThanOrEqualTo(390);
        assertThat(((Number) list.get("tallest")).doubleValue()).as("codelab list " + locale).isLessThanOrEqualTo(36);
        assertThat(eve.byTestId("logout").getDomAttribute("aria-label")).isNotBlank();
        Map<String, Object> title = shownTitle(eve);
        assertThat(title.get("shown")).as("one page title shows, codelab list " + locale).isEqualTo(1L);
        assertThat(title.get("text")).isEqualTo(locale.equals("ko") ? "내 코드랩" : "Your codelabs");
        assertThat(((Number) title.get("width")).doubleValue()).as("title width, codelab list " + locale)
          .isGreaterThanOrEqualTo(60);
        assertThat(title.get("clipped")).as("title cut off, codelab list " + locale).isEqualTo(false);
        eve.screenshot("stepview-codelab-list-390-" + locale + "-light");
      }
      look(eve, "en", "light");
    }
  }

  /** The page's h1 headings a person sees: how many, and the first one's text, width and whether its text is cut off. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> shownTitle(Browser browser) {
    return (Map<String, Object>) browser.driver().executeScript("""
      const shown = [...document.querySelectorAll('h1')].filter((h) => h.getClientRects().length > 0);
      return {
        shown: shown.length,
        text: shown[0].textContent.trim(),
        width: shown[0].getBoundingClientRect().width,
        clipped: shown[0].scrollWidth > shown[0].clientWidth
      };""");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> headerMeasures(Browser browser) {
    return (Map<String, Object>) browser.driver().executeScript("""
      const header = document.querySelector('[data-testid=top-bar]');
      const controls = [...header.querySelectorAll('a, button, select, h1')];
      return {
        pageWidth: document.documentElement.scrollWidth,
        headerWidth: header.scrollWidth,
        headerHeight: Math.round(header.getBoundingClientRect().height),
        tallest: Math.max(...controls.map((c) => c.getBoundingClientRect().height)),
        rightEdge: Math.max(...controls.map((c) => c.getBoundingClientRect().right))
      };""");
  }

  @Test
  @DisplayName("an unknown address, a short link that leads nowhere and an unknown codelab each show a branded page")
  void brandedNotFoundPages() {
    String id = workshop();
    String shortCode = http.get("/api/codelabs/" + id, null).json().getString("shortCode");
    try (Browser fin = desktop(); Browser phone = phone()) {
      fin.go("/no/such/page");
      assertThat(fin.byTestId("not-found").getDomAttribute("data-kind")).isEqualTo("page");
      assertThat(fin.byTestId("not-found-title").getText()).isEqualTo("This page does not exist");
      assertThat(fin.byTestId("locale-switch").isDisplayed()).isTrue();
      fin.screenshot("notfound-page-1440-en-light");
      fin.byTestId("not-found-home").click();
      fin.byTestId("facilitator-entry");

      fin.go("/j/zzzzzz");
      assertThat(fin.byTestId("not-found").getDomAttribute("data-kind")).isEqualTo("shortLink");
      assertThat(fin.driver().getPageSource()).doesNotContain("problem+json", "urn:codelabs");
      fin.screenshot("notfound-shortlink-1440-en-light");
      fin.byTestId("not-found-code").sendKeys(shortCode);
      fin.byTestId("not-found-go").click();
      fin.byTestId("join-nickname");
      assertThat(path(fin)).isEqualTo("/c/" + id);

      fin.go("/c/no-such-codelab/step/2");
      assertThat(fin.byTestId("not-found").getDomAttribute("data-kind")).isEqualTo("codelab");
      look(fin, "ko", "dark");
      assertThat(fin.byTestId("not-found-title").getText()).isEqualTo("이 주소에는 워크숍이 없습니다");
      fin.screenshot("notfound-codelab-1440-ko-dark");
      look(fin, "en", "light");

      phone.go("/j/ab");
      assertThat(phone.byTestId("not-found").getDomAttribute("data-kind")).isEqualTo("shortLink");
      phone.screenshot("notfound-shortlink-390-en-light");
      look(phone, "ko", "light");
      phone.byTestId("not-found");
      phone.screenshot("notfound-shortlink-390-ko-light");
      look(phone, "en", "light");
    }
  }
}

package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

@Timeout(600)
@DisplayName("The room view and the heat map show who is stuck where, from a handful of attendees to a thousand")
class RoomViewInBrowserTest extends NodeTestBase {
  private static final int BIG_ROOM = 1000;
  private static final int MANY_STEPS = 40;
  private static final int PARALLEL = 4;
  private static Browser browser;

  @BeforeAll
  static void signIn() {
    browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1920, 1080);
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    browser.byTestId("login-submit").click();
    browser.byTestId("logout");
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
  }

  @Test
  @DisplayName("the room view counts done, working, stuck and asking per step and lists the longest waits, live")
  void roomViewUpdatesLive() throws Exception {
    String codelabId = codelab(admin);
    viewport(1920, 1080);
    browser.go("/facilitator/codelabs/" + codelabId + "/room");
    awaitOnline();
    browser.await(d -> !browser.allByTestId("room-step").isEmpty());
    assertThat(roomStep(0).getAttribute("data-working")).isEqualTo("0");

    JsonObject ada = http.join(codelabId, "ada", "code-ada");
    JsonObject bo = http.join(codelabId, "bo", "code-bo");
    JsonObject cy = http.join(codelabId, "cy", "code-cy");
    http.join(codelabId, "di", "code-di");
    browser.await(d -> "4".equals(browser.byTestId("room-total").getAttribute("data-count")));
    browser.await(d -> "4".equals(roomStep(0).getAttribute("data-working")));

    progress(codelabId, ada, 0, true);
    progress(codelabId, ada, 1, false);
    progress(codelabId, bo, 0, true);
    progress(codelabId, bo, 1, false);
    browser.await(d -> "2".equals(roomStep(0).getAttribute("data-done")) && "2".equals(roomStep(1).getAttribute("data-working"))
      && "2".equals(roomStep(0).getAttribute("data-working")));

    assertThat(http.post("/api/codelabs/" + codelabId + "/help", bo.getString("token"),
      new JsonObject().put("message", "Gradle sync fails")).status()).isEqualTo(201);
    browser.await(d -> "1".equals(roomStep(1).getAttribute("data-asking")) && "1".equals(roomStep(1).getAttribute("data-working")));
    WebElement waiting = browser.await(d -> browser.driver().findElement(By.cssSelector("[data-testid='room-help-item'][data-nickname='bo']")));
    assertThat(waiting.getText()).contains("bo", "Step 2");
    assertThat(browser.byTestId("room-help-count").getText()).isEqualTo("1");

    makeStuck(id(cy));
    browser.await(d -> "1".equals(roomStep(0).getAttribute("data-stuck")) && "1".equals(roomStep(0).getAttribute("data-working")));
    browser.await(d -> browser.allByTestId("room-wait").size() == 2);
    List<WebElement> waits = browser.allByTestId("room-wait");
    assertThat(waits.get(0).getAttribute("data-nickname")).isEqualTo("bo");
    assertThat(waits.get(0).getAttribute("data-kind")).isEqualTo("help");
    assertThat(waits.get(1).getAttribute("data-nickname")).isEqualTo("cy");
    assertThat(waits.get(1).getAttribute("data-kind")).isEqualTo("stuck");
    assertThat(waits.get(1).getText()).contains("1 h");

    String poll = http.post("/api/codelabs/" + codelabId + "/polls", admin, new JsonObject().put("step", 1))
      .json().getJsonObject("poll").getString("id");
    String answer = "/api/codelabs/" + codelabId + "/polls/" + poll + "/answer";
    assertThat(http.post(answer, ada.getString("token"), new JsonObject().put("answer", "yes")).status()).isEqualTo(200);
    assertThat(http.post(answer, bo.getString("token"), new JsonObject().put("answer", "not-yet")).status()).isEqualTo(200);
    assertThat(http.post(answer, cy.getString("token"), new JsonObject().put("answer", "yes")).status()).isEqualTo(200);
    browser.await(d -> {
      List<WebElement> tallies = browser.allByTestId("pulse-tally");
      return tallies.size() == 1 && "2".equals(tallies.get(0).getAttribute("data-yes"))
        && "1".equals(tallies.get(0).getAttribute("data-not-yet"));
    });

    assertReadableAcrossTheRoom();
    screenshots("room-view", "room-help-count");
  }

  @Test
  @DisplayName("the heat map names attendees on hover and focus, focuses one on click or Enter, and sorts and groups")
  void heatMapNamesAndFocuses() throws Exception {
    String codelabId = codelab(admin);
    JsonObject ada = http.join(codelabId, "ada", "code-ada");
    JsonObject bo = http.join(codelabId, "bo", "code-bo");
    JsonObject cy = http.join(codelabId, "cy", "code-cy");
    for (int i = 0; i < 30; i++) {
      http.join(codelabId, "extra-" + i, "code-extra-" + i);
    }
    progress(codelabId, ada, 2, false);
    progress(codelabId, bo, 1, false);
    assertThat(http.post("/api/codelabs/" + codelabId + "/help", bo.getString("token"), new JsonObject()).status()).isEqualTo(201);
    makeStuck(id(cy));

    viewport(1440, 900);
    browser.go("/facilitator/codelabs/" + codelabId + "/dashboard");
    awaitOnline();
    browser.await(d -> "true".equals(row("cy").getAttribute("data-stuck")) && "open".equals(row("bo").getAttribute("data-help")));
    WebElement heatmap = browser.byTestId("heatmap");
    assertThat(heatmap.getAttribute("data-per-column")).isEqualTo("1");

    hover(heatmap, 0, 1);
    WebElement tooltip = browser.byTestId("heatmap-tooltip");
    assertThat(tooltip.getText()).contains("bo", "Step 2", "Asked for help");
    hover(heatmap, 1, 0);
    browser.await(d -> browser.byTestId("heatmap-tooltip").getText().contains("cy"));
    assertThat(browser.byTestId("heatmap-tooltip").getText()).contains("Step 1", "Stuck");

    new Actions(browser.driver()).moveToElement(browser.byTestId("attendee-search")).perform();
    browser.await(d -> browser.allByTestId("heatmap-tooltip").isEmpty());
    WebElement list = browser.byTestId("heatmap-focus");
    list.sendKeys(Keys.ARROW_RIGHT);
    browser.await(d -> "heatmap-active".equals(list.getAttribute("aria-activedescendant")));
    assertThat(browser.driver().findElement(By.id("heatmap-active")).getAttribute("textContent")).contains("cy");
    list.sendKeys(Keys.END);
    String lastName = browser.driver().findElement(By.id("heatmap-active")).getAttribute("textContent").split(",")[0];
    list.sendKeys(Keys.ENTER);
    browser.await(d -> "true".equals(row(lastName).getAttribute("data-focused")));
    browser.await(d -> lastName.equals(selectedDirectTab()));
    assertThat(inView(row(lastName))).isTrue();
    assertThat(inView(browser.byTestId("chat-input"))).isTrue();

    clickCell(browser.byTestId("heatmap"), 0, 1);
    browser.await(d -> "true".equals(row("bo").getAttribute("data-focused")));
    browser.await(d -> "bo".equals(selectedDirectTab()));
    assertThat(browser.driver().findElements(By.cssSelector("[data-testid='attendee-row'][data-focused='true']")))
      .extracting(focused -> focused.getAttribute("data-nickname")).containsExactly("bo");

    new Select(browser.byTestId("heatmap-arrange")).selectByValue("step");
    browser.await(d -> "step".equals(browser.byTestId("heatmap").getAttribute("data-arrangement")));
    List<Integer> steps = currentSteps();
    assertThat(steps).isSorted().hasSize(33);
    assertThat(steps.get(steps.size() - 1)).isEqualTo(2);
    new Select(browser.byTestId("heatmap-arrange")).selectByValue("stuck");
    browser.await(d -> "stuck".equals(browser.byTestId("heatmap").getAttribute("data-arrangement")));
    assertThat(currentSteps().subList(0, 2)).containsExactly(1, 0);
    browser.byTestId("heatmap-focus").sendKeys(Keys.HOME);
    assertThat(browser.driver().findElement(By.id("heatmap-active")).getAttribute("textContent")).startsWith("bo,");
  }

  @Test
  @DisplayName("a thousand attendees over 40 steps: the heat map aggregates columns and the room view still adds up")
  void aThousandAttendees() throws Exception {
    JsonArray stepList = new JsonArray();
    IntStream.range(0, MANY_STEPS).forEach(i -> stepList.add(step("Step " + (i + 1) + " of the long codelab", "Step " + (i + 1))));
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", unique("Big room ")).put("steps", stepList));
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<String> tokens = all(pool, IntStream.range(0, BIG_ROOM).mapToObj(i -> (Callable<String>)
        () -> http.join(codelabId, "attendee-" + i, "code-" + i).getString("token")).toList());
      all(pool, IntStream.range(0, BIG_ROOM).mapToObj(i -> (Callable<Integer>) () ->
        http.post("/api/codelabs/" + codelabId + "/progress", tokens.get(i),
          new JsonObject().put("step", (i * 7) % MANY_STEPS).put("completed", false)).status()).toList())
        .forEach(status -> assertThat(status).isEqualTo(200));
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 12; i++) {
      http.post("/api/codelabs/" + codelabId + "/help", http.join(codelabId, "asking-" + i, "code-asking-" + i).getString("token"),
        new JsonObject().put("message", "Stuck on the setup"));
    }

    viewport(1440, 900);
    browser.go("/facilitator/codelabs/" + codelabId + "/dashboard");
    awaitOnline();
    browser.await(d -> String.valueOf(BIG_ROOM + 12).equals(browser.byTestId("attendee-shown").getText().replaceAll("\\D", "")));
    WebElement heatmap = browser.byTestId("heatmap");
    browser.await(d -> Integer.parseInt(browser.byTestId("heatmap").getAttribute("data-per-column")) > 1);
    assertThat(browser.byTestId("heatmap-aggregate").getText()).contains("attendees per column");
    int columns = Integer.parseInt(heatmap.getAttribute("data-columns"));
    assertThat(columns).isLessThanOrEqualTo(heatmap.getSize().getWidth() / 6);
    assertThat(heatmap.getSize().getHeight()).isBetween(MANY_STEPS * 8, 500);
    hover(heatmap, 0, 0);
    assertThat(browser.byTestId("heatmap-tooltip").getText()).contains("more");
    browser.screenshot("dashboard-1000-heatmap-tooltip");
    assertThat(browser.byTestId("help-list").getSize().getHeight()).isLessThan(440);
    assertThat(browser.byTestId("chat").getLocation().getY() - browser.byTestId("help-queue").getLocation().getY()).isLessThan(800);
    screenshots("dashboard-1000", "help-queue");
    drawsOnlyTheRowsInView();
    viewport(390, 844);
    browser.await(d -> browser.byTestId("heatmap").getSize().getWidth() < 390);
    assertThat(((Number) browser.driver().executeScript("return document.documentElement.scrollWidth")).intValue()).isLessThanOrEqualTo(390);
    screenshots("dashboard-1000-phone", "heatmap");

    viewport(1920, 1080);
    browser.go("/facilitator/codelabs/" + codelabId + "/room");
    awaitOnline();
    browser.await(d -> String.valueOf(BIG_ROOM + 12).equals(browser.byTestId("room-total").getAttribute("data-count")));
    browser.await(d -> browser.allByTestId("room-step").stream()
      .mapToInt(step -> Integer.parseInt(step.getAttribute("data-working")) + Integer.parseInt(step.getAttribute("data-asking"))
        + Integer.parseInt(step.getAttribute("data-stuck"))).sum() == BIG_ROOM + 12);
    assertThat(roomStep(0).getAttribute("data-asking")).isEqualTo("12");
    assertReadableAcrossTheRoom();
    screenshots("room-view-1000", "room-help-count");
  }

  /** With the table below the window and after scrolling deep into it, only the rows near the window are drawn. */
  private static void drawsOnlyTheRowsInView() {
    // The screenshots reloaded the page: a scroll made before the whole roster is back would stop at a shorter page.
    browser.await(d -> String.valueOf(BIG_ROOM + 12).equals(browser.byTestId("attendee-shown").getText().replaceAll("\\D", "")));
    // After the screenshots the table once drew 997 rows at the top, as if the window were as tall as the page: a scroll
    // reads the window's height again.
    browser.driver().executeScript("scrollTo(0, 1)");
    browser.await(d -> ((Number) browser.driver().executeScript("return scrollY")).intValue() == 1);
    browser.driver().executeScript("scrollTo(0, 0)");
    browser.await(d -> ((Number) browser.driver().executeScript("return scrollY")).intValue() == 0);
    // The table redraws on the scroll event, which follows scrollTo by a frame.
    browser.await(d -> browser.allByTestId("attendee-row").size() < 40);
    browser.driver().executeScript(
      "scrollBy(0, document.querySelector(\"[data-testid='attendee-scroller']\").getBoundingClientRect().top + 20000)");
    browser.await(d -> browser.allByTestId("attendee-row").stream()
      .anyMatch(row -> Integer.parseInt(row.getAttribute("aria-rowindex")) > 400));
    assertThat(browser.allByTestId("attendee-row")).as("rows drawn deep in the table").hasSizeLessThan(40);
  }

  /** On a 1920 px screen across the room: the whole view fits the screen and no number is smaller than 20 px. */
  private static void assertReadableAcrossTheRoom() {
    assertThat(((Number) browser.driver().executeScript("return document.documentElement.scrollHeight")).intValue()).isLessThanOrEqualTo(1080);
    for (WebElement step : browser.allByTestId("room-step")) {
      assertThat(Double.parseDouble(step.getCssValue("font-size").replace("px", ""))).isGreaterThanOrEqualTo(20);
    }
    assertThat(Double.parseDouble(browser.byTestId("room-total").getCssValue("font-size").replace("px", ""))).isGreaterThanOrEqualTo(28);
  }

  /** English and Korean, light and dark, each once the page shows the element that proves it has loaded. */
  private static void screenshots(String name, String loadedTestId) {
    for (String locale : List.of("en", "ko")) {
      for (String theme : List.of("light", "dark")) {
        setPreference("locale", locale);
        setPreference("theme", theme);
        browser.byTestId(loadedTestId);
        awaitOnline();
        browser.screenshot(name + "-" + locale + "-" + theme);
      }
    }
    setPreference("locale", "en");
    setPreference("theme", "light");
  }

  /** Sizes the window so the page itself gets this many pixels, whatever the browser's own bars take. */
  private static void viewport(int width, int height) {
    browser.driver().manage().window().setSize(new Dimension(width, height));
    long chrome = (Long) browser.driver().executeScript("return outerHeight - innerHeight");
    browser.driver().manage().window().setSize(new Dimension(width, height + (int) chrome));
    browser.await(d -> ((Long) browser.driver().executeScript("return innerHeight")).intValue() == height);
  }

  private static void setPreference(String key, String value) {
    browser.driver().executeScript("localStorage.setItem(arguments[0], arguments[1]); location.reload()", key, value);
    browser.await(d -> "complete".equals(browser.driver().executeScript("return document.readyState")));
  }

  private static void awaitOnline() {
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getAttribute("data-state")));
  }

  /** Moves the pointer over the heat map's cell of this column and step, in the single group of the table order. */
  private static void hover(WebElement heatmap, int column, int step) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", heatmap);
    int[] point = cell(heatmap, column, step);
    new Actions(browser.driver()).moveToElement(heatmap, point[0], point[1]).perform();
  }

  private static void clickCell(WebElement heatmap, int column, int step) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", heatmap);
    int[] point = cell(heatmap, column, step);
    new Actions(browser.driver()).moveToElement(heatmap, point[0], point[1]).click().perform();
  }

  /** Offsets from the canvas centre, as Selenium wants them, of a cell's middle, from the layout the canvas reports. */
  private static int[] cell(WebElement heatmap, int column, int step) {
    int cellWidth = Integer.parseInt(heatmap.getAttribute("data-cell"));
    int rowHeight = Integer.parseInt(heatmap.getAttribute("data-row-height"));
    int top = Integer.parseInt(heatmap.getAttribute("data-top"));
    int gutter = 32;
    return new int[] {gutter + column * cellWidth + cellWidth / 2 - heatmap.getSize().getWidth() / 2,
      top + step * rowHeight + rowHeight / 2 - heatmap.getSize().getHeight() / 2};
  }

  private static List<Integer> currentSteps() {
    return List.of(browser.byTestId("heatmap").getAttribute("data-current-steps").split(",")).stream().map(Integer::parseInt).toList();
  }

  private static String selectedDirectTab() {
    return browser.allByTestId("chat-tab-dm").stream().filter(tab -> "true".equals(tab.getAttribute("aria-selected")))
      .map(tab -> tab.getText().trim()).findFirst().orElse(null);
  }

  private static boolean inView(WebElement element) {
    return (Boolean) browser.driver().executeScript(
      "const box = arguments[0].getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight;", element);
  }

  private static WebElement roomStep(int index) {
    return browser.allByTestId("room-step").get(index);
  }

  private static WebElement row(String nickname) {
    return browser.driver().findElement(By.cssSelector("[data-testid='attendee-row'][data-nickname='" + nickname + "']"));
  }

  private static String id(JsonObject joined) {
    return joined.getJsonObject("attendee").getString("id");
  }

  private static void progress(String codelabId, JsonObject joined, int step, boolean completed) {
    assertThat(http.post("/api/codelabs/" + codelabId + "/progress", joined.getString("token"),
      new JsonObject().put("step", step).put("completed", completed)).status()).isEqualTo(200);
  }

  private static <T> List<T> all(ExecutorService pool, List<Callable<T>> tasks) throws Exception {
    List<T> results = new ArrayList<>();
    for (Future<T> future : pool.invokeAll(tasks)) {
      results.add(future.get());
    }
    return results;
  }

  /** Moves the attendee's arrival on its step an hour back, as if it had been working on it that long. */
  private static void makeStuck(String attendeeId) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db").toAbsolutePath());
         PreparedStatement update = db.prepareStatement(
           "UPDATE attendees SET step_started_at = step_started_at - 3600000 WHERE id = ?")) {
      update.setString(1, attendeeId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}

package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

@DisplayName("The facilitator runs a workshop from the browser")
class FacilitatorFlowTest extends NodeTestBase {
  private static Browser browser;
  private static Sockets sockets;

  @BeforeAll
  static void openBrowser() {
    browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 1000);
    sockets = BridgeClient.client(node.vertx);
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
    sockets.close();
  }

  @Test
  @DisplayName("signs in, writes a codelab with a live preview, and runs its room: progress, help, chat, DM, announcements")
  void runsAWorkshop() throws Exception {
    codelab(admin);
    browser.go("/facilitator");
    browser.await(d -> !browser.allByTestId("login-form").isEmpty() || !browser.allByTestId("codelab-list").isEmpty());
    if (!browser.allByTestId("logout").isEmpty()) {
      browser.byTestId("logout").click();
    }
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.screenshot("facilitator-login");
    browser.byTestId("login-password").sendKeys("not the password");
    browser.byTestId("login-submit").click();
    assertThat(browser.byTestId("problem").getText()).isNotBlank();
    browser.byTestId("login-password").clear();
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    browser.byTestId("login-submit").click();
    browser.byTestId("codelab-list");
    browser.screenshot("facilitator-list");

    String title = unique("Vert.x in a day ");
    browser.byTestId("new-codelab-title").sendKeys(title);
    browser.byTestId("create-codelab").click();
    writeStep(0, "Setup", "# Setup\n\nInstall **Java 17** and run `mvn -v`.");
    writeStep(1, "Build", "## Build\n\n```java\nclass Hello {}\n```\n\n- compile\n- test");
    writeStep(2, "Ship", "Ship it. <script>alert(1)</script>");
    browser.await(d -> browser.byTestId("step-preview").getAttribute("innerHTML").contains("Ship it."));
    assertThat(browser.byTestId("step-preview").getAttribute("innerHTML")).doesNotContain("<script");

    steps().get(0).findElement(By.cssSelector("[data-testid='step-select']")).click();
    browser.await(d -> browser.byTestId("step-preview").getAttribute("innerHTML").contains("<strong>Java 17</strong>"));
    steps().get(1).findElement(By.cssSelector("[data-testid='step-select']")).sendKeys(Keys.chord(Keys.ALT, Keys.ARROW_UP));
    steps().get(1).findElement(By.cssSelector("[data-testid='step-down']")).click();
    steps().get(0).findElement(By.cssSelector("[data-testid='step-select']")).click();
    WebElement duration = browser.byTestId("step-duration");
    duration.clear();
    duration.sendKeys("12");
    browser.await(d -> browser.byTestId("step-preview").getAttribute("innerHTML").contains("<pre"));
    browser.screenshot("editor");
    browser.byTestId("save").click();
    browser.byTestId("saved");

    String codelabId = browser.await(d -> d.getCurrentUrl().replaceAll(".*/codelabs/([^/]+).*", "$1"));
    JsonObject saved = http.get("/api/codelabs/" + codelabId, admin).json();
    assertThat(saved.getString("title")).isEqualTo(title);
    JsonArray savedSteps = saved.getJsonArray("steps");
    assertThat(savedSteps.stream().map(step -> ((JsonObject) step).getString("title")))
      .containsExactly("Build", "Ship", "Setup");
    assertThat(savedSteps.getJsonObject(0).getInteger("durationMinutes")).isEqualTo(12);
    assertThat(savedSteps.getJsonObject(0).getString("html")).contains("<pre>");

    browser.byTestId("open-dashboard").click();
    browser.byTestId("dashboard");
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getAttribute("data-state")));

    JsonObject neo = http.join(codelabId, "neo", "code-neo");
    JsonObject trinity = http.join(codelabId, "trinity", "code-trinity");
    JsonObject morpheus = http.join(codelabId, "morpheus", "code-morpheus");
    BridgeClient neoSocket = listen(codelabId, neo);
    BridgeClient trinitySocket = listen(codelabId, trinity);

    progress(codelabId, neo, 1);
    progress(codelabId, neo, 2);
    progress(codelabId, trinity, 1);
    awaitRow("neo", "2");
    awaitRow("trinity", "1");
    browser.await(d -> List.of(browser.byTestId("heatmap").getAttribute("data-current-steps").split(",")).stream()
      .sorted().toList().equals(List.of("0", "1", "2")));
    assertThat(browser.byTestId("attendee-total").getText()).contains("3");

    makeStuck(morpheus.getJsonObject("attendee").getString("id"));
    browser.await(d -> "true".equals(row("morpheus").getAttribute("data-stuck")));

    assertThat(http.post("/api/codelabs/" + codelabId + "/help", neo.getString("token"),
      new JsonObject().put("message", "The build fails with a missing JDK")).status()).isEqualTo(201);
    WebElement request = browser.await(d -> helpItem("neo"));
    assertThat(request.getText()).contains("The build fails with a missing JDK");
    browser.await(d -> "open".equals(row("neo").getAttribute("data-help")));

    browser.byTestId("chat-input").sendKeys("Welcome, everyone!");
    browser.byTestId("chat-send").click();
    assertThat(text(neoSocket.next(chat("Welcome, everyone!")))).isEqualTo("Welcome, everyone!");
    assertThat(text(trinitySocket.next(chat("Welcome, everyone!")))).isEqualTo("Welcome, everyone!");
    http.post("/api/codelabs/" + codelabId + "/chat", trinity.getString("token"),
      new JsonObject().put("text", "Thanks! Which JDK?"));
    browser.await(d -> browser.byTestId("chat-messages").getText().contains("Which JDK?"));

    browser.byTestId("announcement-input").sendKeys("Lunch at 12:30 in the hall");
    browser.byTestId("announcement-post").click();
    WebElement announcement = browser.await(d -> browser.allByTestId("announcement-item").stream()
      .filter(item -> item.getText().contains("Lunch at 12:30")).findFirst().orElse(null));
    assertThat(announcement.getAttribute("data-pinned")).isEqualTo("false");
    browser.byTestId("announcement-pin").click();
    browser.await(d -> "true".equals(browser.byTestId("announcement-item").getAttribute("data-pinned")));
    assertThat(http.get("/api/codelabs/" + codelabId + "/announcements", admin).json().getJsonArray("announcements")
      .getJsonObject(0).getBoolean("pinned")).isTrue();

    browser.screenshot("dashboard");
    WebElement theme = browser.driver().findElement(By.cssSelector("header button[aria-pressed]"));
    theme.click();
    browser.screenshot("dashboard-dark");
    theme.click();
    new Select(browser.byTestId("locale-switch")).selectByValue("ko");
    browser.await(d -> browser.byTestId("help-queue").getText().contains("도움 요청"));
    browser.screenshot("dashboard-ko");
    new Select(browser.byTestId("locale-switch")).selectByValue("en");
    browser.driver().manage().window().setSize(new Dimension(390, 844));
    browser.await(d -> browser.byTestId("help-queue").isDisplayed());
    browser.screenshot("dashboard-phone");
    browser.driver().manage().window().setSize(new Dimension(1440, 1000));

    centred(helpItem("neo").findElement(By.cssSelector("[data-testid='help-claim']"))).click();
    JsonObject claimed = neoSocket.next(BridgeClient.event("help.claimed")).toCompletionStage().toCompletableFuture()
      .get(20, TimeUnit.SECONDS);
    assertThat(claimed.getJsonObject("body").getJsonObject("data").getJsonObject("help").getString("status")).isEqualTo("claimed");
    browser.await(d -> "claimed".equals(helpItem("neo").getAttribute("data-status")));
    centred(helpItem("neo").findElement(By.cssSelector("[data-testid='help-resolve']"))).click();
    JsonObject resolved = neoSocket.next(BridgeClient.event("help.resolved")).toCompletionStage().toCompletableFuture()
      .get(20, TimeUnit.SECONDS);
    assertThat(resolved.getJsonObject("body").getJsonObject("data").getJsonObject("help").getString("status")).isEqualTo("resolved");
    browser.await(d -> helpItem("neo") == null);

    row("neo").findElement(By.cssSelector("[data-testid='attendee-dm']")).click();
    browser.await(d -> browser.byTestId("chat-tab-dm").getAttribute("aria-selected").equals("true"));
    browser.byTestId("chat-input").sendKeys("Neo, I am coming to your desk");
    browser.byTestId("chat-send").click();
    JsonObject direct = neoSocket.next(chat("Neo, I am coming to your desk")).toCompletionStage().toCompletableFuture()
      .get(20, TimeUnit.SECONDS);
    assertThat(direct.getString("address")).isEqualTo("codelab.inbox." + codelabId + "." + id(neo));
    browser.byTestId("chat-tab-public").click();
    browser.byTestId("chat-input").sendKeys("Ten minutes left");
    browser.byTestId("chat-send").click();
    trinitySocket.next(chat("Ten minutes left")).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(trinitySocket.unmatched()).noneMatch(frame -> frame.encode().contains("coming to your desk"));

    browser.byTestId("open-projector").click();
    String shortCode = http.get("/api/codelabs/" + codelabId, admin).json().getString("shortCode");
    // The page shows the long link until the codelab, with its short code, has loaded.
    browser.await(d -> browser.byTestId("projector-url").getText().endsWith("/j/" + shortCode));
    assertThat(http.get("/j/" + shortCode, null).header("Location")).isEqualTo("/c/" + codelabId);
    browser.await(d -> browser.byTestId("projector-qr").getAttribute("src").startsWith("data:image/png"));
    assertThat(browser.byTestId("projector-title").getText()).isEqualTo(title);
    browser.screenshot("projector");

    browser.go("/facilitator");
    browser.byTestId("logout").click();
    browser.byTestId("login-form");
    browser.go("/facilitator");
    browser.byTestId("login-form");

    neoSocket.close();
    trinitySocket.close();
  }

  @Test
  @DisplayName("keeps a codelab private behind a join code, closes it to new joins, and shares it with an assistant")
  void settingsAndAssistants() {
    String codelabId = codelab(admin);
    String lee = unique("lee");
    String leeToken = newFacilitator(lee);
    signIn();
    browser.go("/facilitator/codelabs/" + codelabId);
    tap(browser.byTestId("visibility-private"));
    browser.byTestId("join-code").sendKeys("ROOM42");
    String firstSave = save(null);
    assertThat(joinStatus(codelabId, "no-code", null)).isEqualTo(403);
    assertThat(joinStatus(codelabId, "with-code", "ROOM42")).isEqualTo(201);

    tap(browser.byTestId("joins-closed"));
    save(firstSave);
    assertThat(joinStatus(codelabId, "too-late", "ROOM42")).isEqualTo(403);

    browser.byTestId("assistant-username").sendKeys("nobody-by-that-name");
    tap(browser.byTestId("assistant-add"));
    assertThat(browser.byTestId("problem").getText()).contains("nobody-by-that-name");
    browser.byTestId("assistant-username").clear();
    browser.byTestId("assistant-username").sendKeys(lee);
    tap(browser.byTestId("assistant-add"));
    browser.await(d -> browser.byTestId("assistant-list").getText().contains("@" + lee));
    assertThat(http.get("/api/codelabs", leeToken).json().encode()).contains(codelabId);
    tap(browser.driver().findElement(By.cssSelector("[data-testid='assistant-list'] button")));
    browser.await(d -> !browser.byTestId("assistant-list").getText().contains("@" + lee));
    assertThat(http.get("/api/codelabs", leeToken).json().encode()).doesNotContain(codelabId);
  }

  @Test
  @DisplayName("copies a codelab from the list, and deletes only after the delete is confirmed")
  void copiesAndDeletes() {
    String title = unique("Copy me ");
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", title)
      .put("steps", new JsonArray().add(step("One", "First"))));
    signIn();
    browser.driver().navigate().refresh();
    WebElement original = listRow(codelabId);
    original.findElement(By.cssSelector("[data-testid='codelab-copy']")).click();
    WebElement copy = browser.await(d -> browser.allByTestId("codelab-row").stream()
      .filter(row -> row.getText().contains(title) && !codelabId.equals(row.getAttribute("data-codelab-id")))
      .findFirst().orElse(null));
    String copyId = copy.getAttribute("data-codelab-id");
    assertThat(http.get("/api/codelabs/" + copyId, admin).json().getJsonArray("steps")).hasSize(1);

    listRow(copyId).findElement(By.cssSelector("[data-testid='codelab-delete']")).click();
    assertThat(http.get("/api/codelabs/" + copyId, admin).status()).isEqualTo(200);
    listRow(copyId).findElement(By.cssSelector("[data-testid='codelab-delete-confirm']")).click();
    browser.await(d -> browser.allByTestId("codelab-row").stream()
      .noneMatch(row -> copyId.equals(row.getAttribute("data-codelab-id"))));
    assertThat(http.get("/api/codelabs/" + copyId, admin).status()).isEqualTo(404);
    assertThat(listRow(codelabId).isDisplayed()).isTrue();
  }

  private static WebElement listRow(String codelabId) {
    return browser.await(d -> d.findElement(By.cssSelector("[data-testid='codelab-row'][data-codelab-id='" + codelabId + "']")));
  }

  /** Signs in through the login page unless this browser already is. */
  private static void signIn() {
    browser.go("/facilitator");
    browser.await(d -> !browser.allByTestId("login-form").isEmpty() || !browser.allByTestId("codelab-list").isEmpty());
    if (!browser.allByTestId("login-form").isEmpty()) {
      browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
      browser.byTestId("login-password").sendKeys(node.createdPassword);
      browser.byTestId("login-submit").click();
      browser.byTestId("codelab-list");
    }
  }

  /** Clicks as a person does: scrolled to the middle of the screen first, clear of the editor's sticky save bar. */
  private static void tap(WebElement element) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    element.click();
  }

  /** Saves the editor and waits for a save newer than the previous one; answers its mark. */
  private static String save(String previous) {
    browser.byTestId("save").click();
    return browser.await(d -> {
      String savedAt = browser.byTestId("saved").getAttribute("data-saved-at");
      return savedAt.equals(previous) ? null : savedAt;
    });
  }

  private static int joinStatus(String codelabId, String nickname, String joinCode) {
    JsonObject body = new JsonObject().put("nickname", nickname).put("personalCode", "code-" + nickname)
      .put("delivery", "bearer");
    if (joinCode != null) {
      body.put("joinCode", joinCode);
    }
    return http.post("/api/codelabs/" + codelabId + "/attendees", null, body).status();
  }

  private static void writeStep(int index, String title, String markdown) {
    browser.byTestId("add-step").click();
    browser.await(d -> steps().size() == index + 1);
    WebElement titleField = browser.byTestId("step-title");
    titleField.clear();
    titleField.sendKeys(title);
    WebElement markdownField = browser.byTestId("step-markdown");
    markdownField.sendKeys(markdown);
  }

  private static List<WebElement> steps() {
    return browser.allByTestId("step-item");
  }

  private static WebElement row(String nickname) {
    return browser.driver().findElement(By.cssSelector("[data-testid='attendee-row'][data-nickname='" + nickname + "']"));
  }

  private static void awaitRow(String nickname, String step) {
    browser.await(d -> step.equals(row(nickname).getAttribute("data-step")));
  }

  private static WebElement helpItem(String nickname) {
    return browser.allByTestId("help-item").stream().filter(item -> nickname.equals(item.getAttribute("data-nickname")))
      .findFirst().orElse(null);
  }

  private static String id(JsonObject joined) {
    return joined.getJsonObject("attendee").getString("id");
  }

  private static BridgeClient listen(String codelabId, JsonObject joined) {
    BridgeClient client = BridgeClient.connect(sockets, node.bridgePort, joined.getString("token")).await();
    client.register("codelab.public." + codelabId);
    client.register("codelab.inbox." + codelabId + "." + id(joined));
    return client;
  }

  private static void progress(String codelabId, JsonObject joined, int step) {
    assertThat(http.post("/api/codelabs/" + codelabId + "/progress", joined.getString("token"),
      new JsonObject().put("step", step).put("completed", false)).status()).isEqualTo(200);
  }

  private static java.util.function.Predicate<JsonObject> chat(String text) {
    return frame -> BridgeClient.event("chat.posted").test(frame) && text.equals(text(frame));
  }

  private static String text(io.vertx.core.Future<JsonObject> frame) throws Exception {
    return text(frame.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
  }

  private static String text(JsonObject frame) {
    return frame.getJsonObject("body").getJsonObject("data").getJsonObject("message").getString("text");
  }

  /** Moves the attendee's arrival on its step an hour back, as if it had been working on it that long. */
  /** The help queue sits under the grouped summary; a button below the fold is brought clear of the sticky top bar first. */
  private static WebElement centred(WebElement element) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    return element;
  }

  private static void makeStuck(String attendeeId) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db").toAbsolutePath());
         PreparedStatement update = db.prepareStatement(
           "UPDATE attendees SET step_started_at = step_started_at - 3600000 WHERE id = ?")) {
      update.setString(1, attendeeId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}

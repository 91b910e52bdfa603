package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.api.HttpApiVerticle;
import io.codelabs.bridge.BridgeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

@DisplayName("An attendee in the browser")
class AttendeeExperienceTest extends NodeTestBase {
  private static final String CODE_STEP = """
    Create the verticle:

    ```java
    public final class Hello extends VerticleBase {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(req -> req.response().end("hi")).listen(8080);
      }
    }
    ```

    Then run `mvn package`.""";

  private static String base() {
    return "http://127.0.0.1:" + node.httpPort;
  }

  private static String workshop(JsonObject settings) {
    return http.createCodelab(admin, new JsonObject().put("title", unique("Vert.x 101 "))
      .put("summary", "Build and ship a small HTTP service with Vert.x.").put("author", "Kim")
      .put("steps", new JsonArray()
        .add(step("Set up", "Install **Java 17** and Maven.\n\n- JDK 17\n- Maven 3.9"))
        .add(step("Write a verticle", CODE_STEP))
        .add(step("Ship it", "Package and deploy.")))
      .mergeIn(settings));
  }

  /** Fills the join form and waits for the step view. */
  private static void join(Browser browser, String codelabId, String nickname, String code) {
    browser.go("/c/" + codelabId);
    browser.byTestId("join-nickname").sendKeys(nickname);
    browser.byTestId("join-code").sendKeys(code);
    browser.byTestId("join-submit").click();
    browser.byTestId("step-title");
  }

  /**
   * An attendee joined in a browser served by a second API whose realtime URL goes through a link the test can cut or
   * silence, so the browser's socket fails as on a real network while REST and the facilitator keep working.
   */
  private static final class LinkedAttendee implements AutoCloseable {
    final String codelabId = workshop(new JsonObject());
    final CuttableLink link = CuttableLink.to(node.vertx, node.bridgePort);
    final HttpApiVerticle api = new HttpApiVerticle();
    final String deployment = node.vertx.deployVerticle(api, new DeploymentOptions().setConfig(TestNode.config(dataDir,
      new JsonObject().put(HttpApiVerticle.REALTIME_URL, "http://127.0.0.1:" + link.port() + BridgeVerticle.PATH)).json()))
      .await();
    final Browser browser = Browser.open("http://127.0.0.1:" + api.actualPort());

    LinkedAttendee(String nickname) {
      try {
        join(browser, codelabId, nickname, nickname + "-code");
        awaitOnline(browser);
      } catch (RuntimeException | AssertionError e) {
        close();
        throw e;
      }
    }

    @Override
    public void close() {
      browser.close();
      node.vertx.undeploy(deployment).await();
      link.close().await();
    }
  }

  private static void awaitOnline(Browser browser) {
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getDomAttribute("data-state")));
  }

  private static List<String> tocStates(Browser browser) {
    return browser.allByTestId("toc-item").stream().map(item -> item.getDomAttribute("data-state")).toList();
  }

  private static JsonObject attendeeNamed(String codelabId, String nickname) {
    return http.get("/api/codelabs/" + codelabId + "/attendees", admin).json().getJsonArray("attendees").stream()
      .map(JsonObject.class::cast).filter(a -> a.getString("nickname").equals(nickname)).findFirst().orElseThrow();
  }

  private static List<String> chatTexts(Browser browser) {
    return browser.allByTestId("chat-message").stream()
      .map(message -> message.findElement(By.tagName("p")).getText()).toList();
  }

  private static List<JsonObject> history(String codelabId) {
    return http.get("/api/codelabs/" + codelabId + "/chat?limit=500", admin).json().getJsonArray("messages").stream()
      .map(JsonObject.class::cast).toList();
  }

  /** A facilitator's chat message reaches the page live, and one typed there reaches the codelab's history. */
  private static void chatsBothWays(Browser browser, String codelabId, String nickname) {
    String toPage = "To " + nickname + " " + UUID.randomUUID();
    String fromPage = "From " + nickname + " " + UUID.randomUUID();
    http.post("/api/codelabs/" + codelabId + "/chat", admin, new JsonObject().put("eventId", eventId()).put("text", toPage));
    browser.await(d -> chatTexts(browser).contains(toPage));
    say(browser, fromPage);
    browser.await(d -> history(codelabId).stream().anyMatch(m -> m.getString("text").equals(fromPage)
      && m.getString("senderName").equals(nickname)));
  }

  private static void say(Browser browser, String text) {
    WebElement input = browser.byTestId("chat-input");
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  private static String eventId() {
    return "t-" + UUID.randomUUID();
  }

  @Test
  @DisplayName("two attendees join, move through steps, and land on their last step again after a reload")
  void joinsMovesAndResumes() {
    String id = workshop(new JsonObject());
    try (Browser ann = Browser.open(base()); Browser bob = Browser.open(base())) {
      ann.go("/c/" + id);
      assertThat(ann.byTestId("join-summary").getText()).contains("small HTTP service");
      ann.screenshot("attendee-join");
      join(ann, id, "ann", "ann-code");
      awaitOnline(ann);
      assertThat(ann.byTestId("step-title").getText()).isEqualTo("Set up");
      assertThat(tocStates(ann)).containsExactly("current", "todo", "todo");

      bob.go("/c/" + id);
      bob.byTestId("join-nickname").sendKeys("ann");
      bob.byTestId("join-code").sendKeys("not-anns-code");
      bob.byTestId("join-submit").click();
      assertThat(bob.byTestId("join-error").getText()).contains("already taken");
      bob.byTestId("join-nickname").clear();
      join(bob, id, "bob", "bob-code");

      ann.byTestId("step-next").click();
      ann.await(d -> ann.byTestId("step-title").getText().equals("Write a verticle"));
      ann.byTestId("step-next").click();
      ann.await(d -> ann.byTestId("step-title").getText().equals("Ship it"));
      assertThat(tocStates(ann)).containsExactly("done", "done", "current");
      assertThat(ann.byTestId("progress-bar").getDomAttribute("aria-valuenow")).isEqualTo("67");
      bob.byTestId("step-next").click();
      bob.await(d -> bob.byTestId("step-title").getText().equals("Write a verticle"));

      ann.await(d -> attendeeNamed(id, "ann").getInteger("currentStep") == 2);
      assertThat(attendeeNamed(id, "ann").getJsonArray("completedSteps")).containsExactly(0, 1);
      bob.await(d -> attendeeNamed(id, "bob").getInteger("currentStep") == 1);

      ann.driver().navigate().refresh();
      ann.await(d -> ann.byTestId("step-title").getText().equals("Ship it"));
      assertThat(ann.allByTestId("join-form")).isEmpty();
      assertThat(tocStates(ann)).containsExactly("done", "done", "current");
    }
    try (Browser bobElsewhere = Browser.open(base())) {
      join(bobElsewhere, id, "bob", "bob-code");
      bobElsewhere.await(d -> bobElsewhere.byTestId("step-title").getText().equals("Write a verticle"));
    }
  }

  @Test
  @DisplayName("a private codelab asks for its join code; once joins close, only those who joined get back in")
  void privateAndClosedCodelabs() {
    String id = workshop(new JsonObject().put("visibility", "private").put("joinCode", "BLUE42"));
    try (Browser cy = Browser.open(base())) {
      cy.go("/c/" + id);
      cy.byTestId("join-nickname").sendKeys("cy");
      cy.byTestId("join-code").sendKeys("cy-code");
      cy.byTestId("join-joincode").sendKeys("RED");
      cy.byTestId("join-submit").click();
      assertThat(cy.byTestId("join-error").getText()).contains("join code is not right");
      cy.byTestId("join-joincode").clear();
      cy.byTestId("join-joincode").sendKeys("BLUE42");
      cy.byTestId("join-submit").click();
      assertThat(cy.byTestId("step-title").getText()).isEqualTo("Set up");
    }

    assertThat(http.patch("/api/codelabs/" + id, admin, new JsonObject().put("joinsClosed", true)).status()).isEqualTo(200);
    try (Browser later = Browser.open(base())) {
      later.go("/c/" + id);
      assertThat(later.byTestId("join-closed").getText()).contains("no longer accepts new attendees");
      later.byTestId("join-nickname").sendKeys("dan");
      later.byTestId("join-code").sendKeys("dan-code");
      later.byTestId("join-joincode").sendKeys("BLUE42");
      later.byTestId("join-submit").click();
      assertThat(later.byTestId("join-error").getText()).contains("no longer accepts new attendees");

      later.byTestId("join-nickname").clear();
      later.byTestId("join-nickname").sendKeys("cy");
      later.byTestId("join-code").clear();
      later.byTestId("join-code").sendKeys("cy-code");
      later.byTestId("join-submit").click();
      assertThat(later.byTestId("step-title").getText()).isEqualTo("Set up");
    }
  }

  @Test
  @DisplayName("\"I'm stuck\" shows the request claimed, then resolved, as the facilitator acts")
  void helpIsClaimedThenResolved() {
    String id = workshop(new JsonObject());
    try (Browser dee = Browser.open(base())) {
      join(dee, id, "dee", "dee-code");
      awaitOnline(dee);
      dee.byTestId("step-next").click();
      dee.byTestId("help-button").click();
      dee.byTestId("help-message").sendKeys("Gradle sync fails");
      dee.byTestId("help-send").click();
      dee.await(d -> "open".equals(dee.byTestId("help-status").getDomAttribute("data-state")));
      assertThat(dee.allByTestId("help-button")).isEmpty();

      JsonObject help = dee.await(d -> http.get("/api/codelabs/" + id + "/help", admin).json().getJsonArray("help")
        .stream().map(JsonObject.class::cast).filter(h -> h.getString("nickname").equals("dee")).findFirst().orElse(null));
      assertThat(help.getInteger("step")).isEqualTo(1);
      assertThat(help.getString("message")).isEqualTo("Gradle sync fails");
      String helpPath = "/api/codelabs/" + id + "/help/" + help.getString("id");
      assertThat(http.post(helpPath + "/claim", admin, null).status()).isEqualTo(200);
      dee.await(d -> "claimed".equals(dee.byTestId("help-status").getDomAttribute("data-state")));
      assertThat(dee.byTestId("help-status").getText()).contains("Administrator is coming to help you");
      dee.screenshot("attendee-help-claimed");

      assertThat(http.post(helpPath + "/resolve", admin, null).status()).isEqualTo(200);
      dee.await(d -> "resolved".equals(dee.byTestId("help-status").getDomAttribute("data-state")));
      assertThat(dee.byTestId("help-button").getText()).contains("Ask again");
    }
  }

  @Test
  @DisplayName("public chat reaches everyone, a direct message only its attendee, and an attendee's message the facilitators")
  void chatAndDirectMessages() {
    String id = workshop(new JsonObject());
    try (Browser ann = Browser.open(base()); Browser bob = Browser.open(base())) {
      join(ann, id, "ann", "ann-code");
      join(bob, id, "bob", "bob-code");
      awaitOnline(ann);
      awaitOnline(bob);
      String annId = attendeeNamed(id, "ann").getString("id");

      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId())
        .put("text", "Welcome, everyone"));
      ann.await(d -> chatTexts(ann).contains("Welcome, everyone"));
      bob.await(d -> chatTexts(bob).contains("Welcome, everyone"));

      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId())
        .put("text", "Ann, your build is green").put("direct", true).put("attendeeId", annId));
      ann.await(d -> "1".equals(ann.byTestId("chat-unread-direct").getText().substring(0, 1)));
      ann.byTestId("chat-tab-direct").click();
      ann.await(d -> chatTexts(ann).contains("Ann, your build is green"));
      assertThat(chatTexts(ann)).doesNotContain("Welcome, everyone");

      say(bob, "Is the server on port 8080?");
      ann.byTestId("chat-tab-public").click();
      ann.await(d -> chatTexts(ann).contains("Is the server on port 8080?"));
      bob.byTestId("chat-tab-direct").click();
      assertThat(bob.allByTestId("chat-unread-direct")).isEmpty();
      assertThat(bob.driver().getPageSource()).doesNotContain("your build is green");

      ann.byTestId("chat-tab-direct").click();
      say(ann, "Thanks!");
      ann.await(d -> history(id).stream().anyMatch(m -> m.getString("text").equals("Thanks!")));
      JsonObject thanks = history(id).stream().filter(m -> m.getString("text").equals("Thanks!")).findFirst().orElseThrow();
      assertThat(thanks.getString("attendeeId")).isEqualTo(annId);
      assertThat(thanks.getString("senderName")).isEqualTo("ann");
      assertThat(bob.driver().getPageSource()).doesNotContain("your build is green").doesNotContain("Thanks!");
    }
  }

  @Test
  @DisplayName("a cut socket shows offline, then replays what was missed in order and once, and sends what was typed once")
  void reconnectsAndCatchesUp() {
    try (LinkedAttendee attendee = new LinkedAttendee("eve")) {
      Browser eve = attendee.browser;
      String id = attendee.codelabId;
      CuttableLink link = attendee.link;
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId()).put("text", "Before the cut"));
      eve.await(d -> chatTexts(eve).contains("Before the cut"));

      link.cut();
      eve.await(d -> "offline".equals(eve.byTestId("connection-status").getDomAttribute("data-state")));
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId()).put("text", "Missed one"));
      http.post("/api/codelabs/" + id + "/announcements", admin, new JsonObject().put("eventId", eventId())
        .put("text", "Break at three"));
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId()).put("text", "Missed two"));
      say(eve, "Typed while cut");
      WebElement pending = eve.await(d -> eve.allByTestId("chat-message").stream()
        .filter(m -> m.getText().contains("Typed while cut")).findFirst().orElse(null));
      assertThat(pending.getDomAttribute("data-pending")).isEqualTo("true");
      assertThat(eve.byTestId("connection-status").getText()).contains("1 waiting to send");
      assertThat(chatTexts(eve)).doesNotContain("Missed one", "Missed two");

      link.restore();
      awaitOnline(eve);
      eve.await(d -> chatTexts(eve).contains("Missed two") && !chatTexts(eve).isEmpty()
        && eve.allByTestId("chat-message").stream().noneMatch(m -> "true".equals(m.getDomAttribute("data-pending"))));
      assertThat(chatTexts(eve)).containsExactly("Before the cut", "Missed one", "Missed two", "Typed while cut");
      String timeline = eve.byTestId("chat-messages").getText();
      assertThat(timeline.indexOf("Missed one")).isLessThan(timeline.indexOf("Break at three"));
      assertThat(timeline.indexOf("Break at three")).isLessThan(timeline.indexOf("Missed two"));
      assertThat(eve.allByTestId("chat-announcement")).hasSize(1);
      assertThat(history(id).stream().filter(m -> m.getString("text").equals("Typed while cut"))).hasSize(1);
    }
  }

  /** Before the page's scripts run: every WebSocket it opens is listed, and {@code rewrite} may change its URL. */
  private static void watchWebSockets(Browser browser, String rewrite) {
    browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
      const Native = window.WebSocket;
      window.openedSockets = [];
      window.WebSocket = class extends Native {
        constructor(url, protocols) {
          window.openedSockets.push(String(url));
          super(%s, protocols);
        }
      };
      """.formatted(rewrite)));
  }

  @SuppressWarnings("unchecked")
  private static List<String> openedSockets(Browser browser) {
    return (List<String>) browser.driver().executeScript("return window.openedSockets");
  }

  @SuppressWarnings("unchecked")
  private static List<String> requested(Browser browser) {
    return (List<String>) browser.driver().executeScript(
      "return performance.getEntriesByType('resource').map(entry => entry.name)");
  }

  @Test
  @DisplayName("the socket is a plain WebSocket to the bridge's raw endpoint: live events and chat go over it, nothing over XHR")
  void usesThePlainWebSocket() {
    String id = workshop(new JsonObject());
    try (Browser ann = Browser.open(base())) {
      watchWebSockets(ann, "url");
      join(ann, id, "ann", "ann-code");
      awaitOnline(ann);

      chatsBothWays(ann, id, "ann");

      assertThat(openedSockets(ann)).isNotEmpty()
        .allMatch(url -> url.matches("ws://[^/]+" + BridgeVerticle.PATH + "/websocket\\?as=attendee"));
      assertThat(requested(ann)).noneMatch(url -> url.contains(BridgeVerticle.PATH + "/"));
    }
  }

  @Test
  @DisplayName("where a proxy refuses the WebSocket, the socket falls back to SockJS over XHR: live events and chat still flow")
  void fallsBackWhenTheWebSocketIsRefused() {
    String id = workshop(new JsonObject());
    try (Browser bea = Browser.open(base())) {
      watchWebSockets(bea, "String(url).replace('" + BridgeVerticle.PATH + "/websocket', '" + BridgeVerticle.PATH
        + "/refused/websocket')");
      join(bea, id, "bea", "bea-code");
      awaitOnline(bea);

      chatsBothWays(bea, id, "bea");

      assertThat(openedSockets(bea)).isNotEmpty().allMatch(url -> url.contains(BridgeVerticle.PATH + "/websocket"));
      assertThat(requested(bea)).anyMatch(url -> url.contains(BridgeVerticle.PATH + "/") && url.contains("/xhr_send?"));
    }
  }

  @Test
  @DisplayName("a network that goes silent without closing anything shows offline within about half a minute, and catches up once it is back")
  void noticesASilentNetwork() {
    try (LinkedAttendee attendee = new LinkedAttendee("fay")) {
      Browser fay = attendee.browser;
      attendee.link.silence();
      http.post("/api/codelabs/" + attendee.codelabId + "/chat", admin, new JsonObject().put("eventId", eventId()).put("text", "Said in silence"));
      // A probe after 15 to 20 s of quiet, answered within 10 s or the socket is given up.
      fay.await(Duration.ofSeconds(45), d -> "offline".equals(fay.byTestId("connection-status").getDomAttribute("data-state")));
      assertThat(chatTexts(fay)).doesNotContain("Said in silence");
      fay.screenshot("attendee-offline-silent-network");

      attendee.link.speak();
      awaitOnline(fay);
      fay.await(d -> chatTexts(fay).contains("Said in silence"));
    }
  }

  @Test
  @DisplayName("without WebSocket in the browser, the socket falls back to XHR: joins, receives live events and sends chat")
  void worksWithoutWebSocket() {
    String id = workshop(new JsonObject());
    try (Browser wes = Browser.open(base())) {
      wes.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", "delete window.WebSocket; delete window.MozWebSocket;"));
      join(wes, id, "wes", "wes-code");
      awaitOnline(wes);
      assertThat(wes.driver().executeScript("return typeof WebSocket")).isEqualTo("undefined");

      chatsBothWays(wes, id, "wes");

      assertThat(requested(wes)).anyMatch(url -> url.contains(BridgeVerticle.PATH + "/") && url.contains("/xhr_send?"))
        .noneMatch(url -> url.contains("/websocket"));
    }
  }

  @Test
  @DisplayName("when the browser goes offline it drops its socket, and catches up once the network is back")
  void followsTheBrowsersNetworkState() {
    String id = workshop(new JsonObject());
    try (Browser hal = Browser.open(base())) {
      join(hal, id, "hal", "hal-code");
      awaitOnline(hal);

      hal.offline(true);
      hal.await(d -> "offline".equals(hal.byTestId("connection-status").getDomAttribute("data-state")));
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId()).put("text", "Anyone there?"));
      say(hal, "Back in a minute");
      hal.await(d -> hal.byTestId("connection-status").getText().contains("1 waiting to send"));

      hal.offline(false);
      awaitOnline(hal);
      hal.await(d -> chatTexts(hal).contains("Anyone there?")
        && hal.allByTestId("chat-message").stream().noneMatch(m -> "true".equals(m.getDomAttribute("data-pending"))));
      assertThat(chatTexts(hal)).containsExactly("Anyone there?", "Back in a minute");
      assertThat(history(id).stream().filter(m -> m.getString("text").equals("Back in a minute"))).hasSize(1);
    }
  }

  @Test
  @DisplayName("shows pinned announcements and step edits live; looks right on desktop, phone, dark and in Korean")
  void liveUpdatesAndLooks() {
    String id = workshop(new JsonObject());
    try (Browser fay = Browser.open(base()); Browser gus = Browser.open(base(), 390, 844)) {
      join(fay, id, "fay", "fay-code");
      awaitOnline(fay);
      fay.byTestId("step-next").click();
      fay.await(d -> fay.byTestId("step-title").getText().equals("Write a verticle"));
      assertThat(fay.driver().findElements(By.cssSelector("[data-testid='step-content'] pre code.hljs span"))).isNotEmpty();
      assertThat(fay.allByTestId("copy-code")).hasSize(1);

      http.post("/api/codelabs/" + id + "/announcements", admin, new JsonObject().put("eventId", eventId())
        .put("text", "Slides: https://example.org/vertx").put("pinned", true));
      fay.await(d -> fay.byTestId("pinned-announcement").getText().contains("Slides"));
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId())
        .put("text", "Shout if the build fails"));
      say(fay, "Mine is green");
      fay.await(d -> chatTexts(fay).containsAll(List.of("Shout if the build fails", "Mine is green")));

      Response edited = http.put("/api/codelabs/" + id + "/steps/1", admin, new JsonObject().put("title", "Write a verticle")
        .put("markdown", CODE_STEP + "\n\nTip: the port is **8080**.").put("durationMinutes", 10));
      assertThat(edited.status()).isEqualTo(200);
      fay.await(d -> fay.byTestId("step-content").getText().contains("Tip: the port is 8080."));
      assertThat(fay.byTestId("step-updated").isDisplayed()).isTrue();
      assertThat(fay.byTestId("step-title").getText()).isEqualTo("Write a verticle");
      fay.await(d -> !fay.driver().findElements(By.cssSelector("[data-testid='step-content'] pre code.hljs span")).isEmpty());
      fay.screenshot("attendee-step");

      fay.driver().findElement(By.cssSelector("header button[aria-pressed]")).click();
      fay.screenshot("attendee-step-dark");
      fay.driver().findElement(By.cssSelector("header button[aria-pressed]")).click();
      new Select(fay.byTestId("locale-switch")).selectByValue("ko");
      fay.await(d -> fay.byTestId("step-next").getText().contains("다음"));
      fay.screenshot("attendee-step-ko");
      new Select(fay.byTestId("locale-switch")).selectByValue("en");

      join(gus, id, "gus", "gus-code");
      new Select(gus.byTestId("toc-select")).selectByValue("1");
      gus.await(d -> gus.byTestId("step-title").getText().equals("Write a verticle"));
      assertThat(gus.byTestId("toc").isDisplayed()).isFalse();
      assertThat(gus.byTestId("chat-panel").isDisplayed()).isFalse();
      gus.screenshot("attendee-step-phone");
      assertThat(gus.allByTestId("chat-toggle-unread")).isEmpty();
      http.post("/api/codelabs/" + id + "/chat", admin, new JsonObject().put("eventId", eventId())
        .put("text", "Phones welcome"));
      gus.await(d -> gus.byTestId("chat-toggle-unread").getText().startsWith("1"));
      gus.byTestId("chat-toggle").click();
      gus.await(d -> gus.byTestId("chat-panel").isDisplayed() && chatTexts(gus).contains("Phones welcome"));
      assertThat(chatTexts(gus)).contains("Mine is green");
      gus.await(d -> gus.allByTestId("chat-toggle-unread").isEmpty());
      gus.screenshot("attendee-chat-phone");
    }
  }
}

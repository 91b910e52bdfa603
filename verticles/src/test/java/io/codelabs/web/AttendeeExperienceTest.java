package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
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
  @DisplayName("a private codelab asks for its join code and says when it is wrong")
  void privateCodelabAsksForJoinCode() {
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
      dee.await(d -> "open".equals(dee.byTestId("help-status").getDomAttribute("data-state")));
      assertThat(dee.allByTestId("help-button")).isEmpty();

      JsonObject help = dee.await(d -> http.get("/api/codelabs/" + id + "/help", admin).json().getJsonArray("help")
        .stream().map(JsonObject.class::cast).filter(h -> h.getString("nickname").equals("dee")).findFirst().orElse(null));
      assertThat(help.getInteger("step")).isEqualTo(1);
      String helpPath = "/api/codelabs/" + id + "/help/" + help.getString("id");
      assertThat(http.post(helpPath + "/claim", admin, null).status()).isEqualTo(200);
      dee.await(d -> "claimed".equals(dee.byTestId("help-status").getDomAttribute("data-state")));
      assertThat(dee.byTestId("help-status").getText()).contains("is coming to help you");

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
}

package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The end of a workshop in three browsers: an attendee on a phone, the facilitator's dashboard and the
 * projector. Everything the attendee and facilitator do goes through the page; only the setup is REST.
 */
@DisplayName("Closing a workshop in the browser")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClosingInBrowserTest extends NodeTestBase {
  private static final int PHONE = 390;

  /** A phone's viewport: a headless window cannot be made narrower than about 500 px, the emulated screen can. */
  private static Browser phone() {
    Browser browser = Browser.open(base(), PHONE, 844);
    asPhone(browser, true);
    return browser;
  }

  private static void asPhone(Browser browser, boolean phone) {
    if (phone) {
      browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", PHONE, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    } else {
      browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  private static String base() {
    return "http://127.0.0.1:" + node.httpPort;
  }

  /** Two steps, a four-question quiz at the end (two attempts, answers shown after each) and rules that need it and feedback. */
  private static String closingWorkshop() {
    String id = http.createCodelab(admin, new JsonObject().put("title", unique("Reactive HTTP "))
      .put("steps", new JsonArray().add(step("Start", "Run `mvn package`.")).add(step("Finish", "Deploy it."))));
    assertThat(http.patch("/api/codelabs/" + id, admin, new JsonObject().put("completion", new JsonObject()
      .put("allSteps", true).put("quiz", true).put("passMark", 50).put("feedback", true).put("submission", false))).status())
      .isEqualTo(200);
    JsonObject quiz = new JsonObject().put("title", "Check your Vert.x").putNull("step").put("attempts", 2)
      .put("scoring", "best").put("reveal", "after-submit").put("questions", new JsonArray()
        .add(new JsonObject().put("kind", "single").put("prompt", "What does `start()` return?").put("points", 1)
          .put("choices", new JsonArray().add(choice("fut", "A Future")).add(choice("void", "Nothing")))
          .put("correct", new JsonArray().add("fut")))
        .add(new JsonObject().put("kind", "multiple").put("prompt", "Which run on a worker?").put("points", 1)
          .put("choices", new JsonArray().add(choice("jdbc", "JDBC")).add(choice("hash", "Hashing")).add(choice("timer", "A timer")))
          .put("correct", new JsonArray().add("jdbc").add("hash")))
        .add(new JsonObject().put("kind", "short").put("prompt", "Name the event loop's rule").put("points", 1)
          .put("accepted", new JsonArray().add("never block").add("don't block")))
        .add(new JsonObject().put("kind", "free").put("prompt", "What will you build next?")));
    assertThat(http.put("/api/codelabs/" + id + "/quizzes", admin, new JsonObject().put("quizzes", new JsonArray().add(quiz)))
      .status()).isEqualTo(200);
    return id;
  }

  /** Another attendee, through the API: wrong on every graded question, so the results have wrong answers to show. */
  private static void answerWrongly(String codelabId, String token) {
    JsonObject quiz = http.get("/api/codelabs/" + codelabId + "/quizzes", admin).json().getJsonArray("quizzes").getJsonObject(0);
    JsonArray questions = quiz.getJsonArray("questions");
    JsonObject answers = new JsonObject()
      .put(questions.getJsonObject(0).getString("id"), new JsonArray().add("void"))
      .put(questions.getJsonObject(1).getString("id"), new JsonArray().add("timer"))
      .put(questions.getJsonObject(2).getString("id"), "block it");
    assertThat(http.post("/api/codelabs/" + codelabId + "/quizzes/" + quiz.getString("id") + "/attempts", token,
      new JsonObject().put("answers", answers)).status()).isEqualTo(201);
  }

  private static JsonObject choice(String id, String text) {
    return new JsonObject().put("id", id).put("text", text);
  }

  private static void signIn(Browser browser) {
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    tap(browser, browser.byTestId("login-submit"));
    browser.byTestId("codelab-list");
  }

  private static void joinAndStay(Browser phone, String codelabId) {
    phone.go("/c/" + codelabId);
    phone.byTestId("join-nickname").sendKeys("ada");
    phone.byTestId("join-code").sendKeys("ada-code");
    tap(phone, phone.byTestId("join-submit"));
    phone.await(d -> "online".equals(phone.byTestId("connection-status").getDomAttribute("data-state")));
  }

  private static void joinAndReachTheEnd(Browser phone, String codelabId) {
    joinAndStay(phone, codelabId);
    tap(phone, phone.byTestId("step-next"));
    phone.await(d -> phone.byTestId("step-title").getText().equals("Finish"));
    tap(phone, phone.byTestId("step-finish"));
  }

  private static List<WebElement> questions(Browser browser) {
    return browser.allByTestId("quiz-question");
  }

  private static void pick(Browser browser, WebElement question, String text) {
    tap(browser, question.findElements(By.cssSelector("[data-testid='quiz-choice']")).stream()
      .filter(choice -> choice.getText().equals(text)).findFirst().orElseThrow());
  }

  /** Clicks an element after bringing it to the middle of the screen, clear of the sticky top and bottom bars. */
  private static void tap(Browser browser, WebElement element) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    element.click();
  }

  /** Sets locale and theme as the page's own switches store them, and reloads. */
  private static void look(Browser browser, String locale, String theme) {
    browser.driver().executeScript("localStorage.setItem('locale', arguments[0]); localStorage.setItem('theme', arguments[1]);",
      locale, theme);
    browser.driver().navigate().refresh();
  }

  @Test
  @DisplayName("an attendee answers the quiz, gives feedback, gets a certificate and verifies it; the facilitator watches, draws a raffle on the projector and revokes")
  void closesAWorkshop() {
    String id = closingWorkshop();
    try (Browser phone = phone();
         Browser facilitator = Browser.open(base(), 1440, 1000);
         Browser projector = Browser.open(base(), 1280, 720)) {
      signIn(facilitator);
      facilitator.go("/facilitator/codelabs/" + id + "/dashboard");
      tap(facilitator, facilitator.byTestId("tab-results"));
      facilitator.byTestId("results");
      signIn(projector);
      projector.go("/facilitator/codelabs/" + id + "/projector");
      projector.byTestId("projector-title");
      projector.await(d -> "online".equals(projector.byTestId("connection-status").getDomAttribute("data-state")));

      joinAndReachTheEnd(phone, id);
      phone.byTestId("quiz");
      assertThat(phone.byTestId("quiz-attempts").getText()).contains("2 of 2");
      // The last step's completion is acknowledged after the page shows the end: "steps" may be listed until then.
      phone.await(d -> missingParts(phone).equals(List.of("quiz", "feedback")));
      assertThat(missingParts(phone)).containsExactly("quiz", "feedback");
      phone.screenshot("closing-attendee-quiz-phone-en-light");

      List<WebElement> sheet = questions(phone);
      pick(phone, sheet.get(0), "Nothing");
      pick(phone, sheet.get(1), "JDBC");
      sheet.get(2).findElement(By.cssSelector("[data-testid='quiz-short']")).sendKeys("wait for it");
      sheet.get(3).findElement(By.cssSelector("[data-testid='quiz-free']")).sendKeys("A chat server");
      tap(phone, phone.byTestId("quiz-submit"));
      assertThat(phone.byTestId("quiz-score").getDomAttribute("data-passed")).isEqualTo("false");
      assertThat(questions(phone).stream().map(q -> q.getDomAttribute("data-result")))
        .containsExactly("wrong", "wrong", "wrong", "ungraded");
      assertThat(questions(phone).get(0).findElements(By.cssSelector("[data-testid='quiz-choice'][data-correct]")))
        .extracting(WebElement::getText).containsExactly("A Future");
      assertThat(phone.byTestId("quiz-revealed").getText()).contains("never block");
      assertThat(phone.byTestId("quiz-attempts").getText()).contains("1 of 2");
      phone.screenshot("closing-attendee-graded-phone-en-light");

      tap(phone, phone.byTestId("quiz-again"));
      sheet = questions(phone);
      pick(phone, sheet.get(0), "A Future");
      pick(phone, sheet.get(1), "JDBC");
      pick(phone, sheet.get(1), "Hashing");
      sheet.get(2).findElement(By.cssSelector("[data-testid='quiz-short']")).sendKeys("  Never  Block ");
      sheet.get(3).findElement(By.cssSelector("[data-testid='quiz-free']")).sendKeys("A chat server");
      tap(phone, phone.byTestId("quiz-submit"));
      phone.await(d -> "true".equals(phone.byTestId("quiz-score").getDomAttribute("data-passed")));
      assertThat(phone.byTestId("quiz-score").getText()).contains("100%");
      assertThat(phone.allByTestId("quiz-again")).isEmpty();
      phone.await(d -> missingParts(phone).equals(List.of("feedback")));

      tap(phone, phone.byTestId("feedback-difficulty-2"));
      tap(phone, phone.byTestId("feedback-satisfaction-5"));
      phone.byTestId("feedback-comment").sendKeys("Loved the event-bus part");
      tap(phone, phone.byTestId("feedback-send"));
      phone.byTestId("feedback-saved");
      phone.await(d -> "true".equals(phone.byTestId("completion").getDomAttribute("data-complete")));
      assertThat(phone.byTestId("certificate-once").getText()).contains("only once");
      WebElement name = phone.byTestId("certificate-name");
      assertThat(name.getDomProperty("value")).isEqualTo("ada");
      name.clear();
      name.sendKeys("Ada Lovelace");
      phone.screenshot("closing-attendee-complete-phone-en-light");
      tap(phone, phone.byTestId("certificate-claim"));
      assertThat(phone.byTestId("certificate-ready").getText()).contains("Ada Lovelace");
      String verifyPath = phone.byTestId("certificate-verify").getDomAttribute("href");
      String certificateId = verifyPath.substring(verifyPath.lastIndexOf('/') + 1);
      assertThat(phone.byTestId("certificate-pdf").getDomAttribute("href")).isEqualTo("/api/certificates/" + certificateId + ".pdf");
      look(phone, "ko", "dark");
      phone.byTestId("certificate-ready");
      WebElement chosen = phone.await(d -> questions(phone).get(0).findElements(By.cssSelector("input:checked")).stream()
        .findFirst().orElse(null));
      assertThat(chosen.findElement(By.xpath("..")).getText()).isEqualTo("A Future");
      phone.screenshot("closing-attendee-complete-phone-ko-dark");

      answerWrongly(id, http.join(id, "bob", "code-bob").getString("token"));
      facilitator.await(d -> facilitator.byTestId("results-complete").getText().startsWith("1"));
      facilitator.await(d -> "1".equals(facilitator.byTestId("feedback-count").getText()));
      facilitator.await(d -> facilitator.allByTestId("question-result").stream()
        .map(row -> row.getDomAttribute("data-right") + "/" + row.getDomAttribute("data-wrong")).toList()
        .subList(0, 3).equals(List.of("1/1", "1/1", "1/1")));
      assertThat(facilitator.allByTestId("common-wrong")).extracting(WebElement::getText)
        .satisfiesExactly(one -> assertThat(one).contains("Nothing"), many -> assertThat(many).contains("A timer"),
          word -> assertThat(word).contains("block it"));
      assertThat(facilitator.byTestId("free-answers").getText()).contains("ada").contains("A chat server");
      assertThat(facilitator.byTestId("satisfaction-chart").getDomAttribute("data-counts")).isEqualTo("0,0,0,0,1");
      assertThat(facilitator.byTestId("feedback-comments").getText()).contains("Loved the event-bus part");
      facilitator.await(d -> facilitator.allByTestId("certificate-row").size() == 1);
      assertThat(facilitator.byTestId("results-csv").getDomAttribute("href")).isEqualTo("/api/codelabs/" + id + "/results.csv");
      facilitator.screenshot("closing-results-desktop-en-light");

      phone.go(verifyPath);
      phone.await(d -> "valid".equals(phone.byTestId("verify-page").getDomAttribute("data-state")));
      assertThat(phone.byTestId("verify-name").getText()).isEqualTo("Ada Lovelace");
      phone.screenshot("closing-verify-valid-phone-ko-dark");
      look(phone, "en", "light");
      phone.await(d -> "valid".equals(phone.byTestId("verify-page").getDomAttribute("data-state")));
      assertThat(phone.byTestId("verify-status").getText()).contains("Valid certificate");
      phone.screenshot("closing-verify-valid-phone-en-light");
      asPhone(phone, false);
      phone.driver().manage().window().setSize(new Dimension(1366, 900));
      phone.go("/certificate/" + certificateId);
      phone.await(d -> !phone.allByTestId("certificate-qr").isEmpty());
      assertThat(phone.byTestId("certificate-holder").getText()).isEqualTo("Ada Lovelace");
      phone.screenshot("closing-certificate-desktop-en-light");
      look(phone, "ko", "dark");
      phone.byTestId("certificate-qr");
      phone.screenshot("closing-certificate-desktop-ko-dark");
      look(phone, "en", "light");
      asPhone(phone, true);

      facilitator.byTestId("raffle-winners").clear();
      facilitator.byTestId("raffle-winners").sendKeys("1");
      tap(facilitator, facilitator.byTestId("raffle-draw"));
      facilitator.await(d -> facilitator.byTestId("raffle-result").getText().contains("ada"));
      WebElement reveal = projector.byTestId("raffle-reveal");
      projector.await(d -> "true".equals(reveal.getDomAttribute("data-done")));
      assertThat(projector.byTestId("raffle-winner").getText()).isEqualTo("ada");
      projector.screenshot("closing-projector-raffle-desktop-en-light");

      tap(projector, projector.byTestId("raffle-close"));
      projector.driver().executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
      projector.driver().navigate().refresh();
      projector.await(d -> "online".equals(projector.byTestId("connection-status").getDomAttribute("data-state")));
      new Select(facilitator.byTestId("raffle-among")).selectByValue("all");
      tap(facilitator, facilitator.byTestId("raffle-draw"));
      WebElement still = projector.byTestId("raffle-reveal");
      assertThat(still.getDomAttribute("data-done")).isEqualTo("true");
      assertThat(projector.allByTestId("raffle-spinning")).isEmpty();
      assertThat(projector.byTestId("raffle-winner").getText()).isEqualTo("bob");

      tap(facilitator, facilitator.byTestId("certificate-revoke"));
      facilitator.byTestId("revoke-reason").sendKeys("Issued to the wrong person");
      tap(facilitator, facilitator.byTestId("revoke-confirm"));
      facilitator.await(d -> "revoked".equals(facilitator.byTestId("certificate-row").getDomAttribute("data-status")));
      look(facilitator, "ko", "dark");
      tap(facilitator, facilitator.byTestId("tab-results"));
      facilitator.await(d -> "revoked".equals(facilitator.byTestId("certificate-row").getDomAttribute("data-status")));
      facilitator.screenshot("closing-results-desktop-ko-dark");

      phone.go(verifyPath);
      phone.await(d -> "revoked".equals(phone.byTestId("verify-page").getDomAttribute("data-state")));
      assertThat(phone.byTestId("verify-status").getText()).contains("Revoked");
      assertThat(phone.byTestId("verify-reason").getText()).contains("Issued to the wrong person");
      phone.screenshot("closing-verify-revoked-phone-en-light");
    }
  }

  @Test
  @DisplayName("the verify and printable pages are the app's own pages, and say so plainly when no certificate has the id")
  void unknownCertificate() {
    assertThat(http.get("/verify/not-a-certificate", null).text()).contains("<div id=\"app\">");
    try (Browser visitor = phone()) {
      visitor.go("/verify/not-a-certificate");
      visitor.await(d -> "unknown".equals(visitor.byTestId("verify-page").getDomAttribute("data-state")));
      assertThat(visitor.byTestId("verify-unknown").getText()).contains("No such certificate");
      visitor.screenshot("closing-verify-unknown-phone-en-light");
      look(visitor, "ko", "dark");
      visitor.await(d -> "unknown".equals(visitor.byTestId("verify-page").getDomAttribute("data-state")));
      assertThat(visitor.byTestId("verify-unknown").getText()).contains("없는 수료증");
      visitor.screenshot("closing-verify-unknown-phone-ko-dark");
      visitor.go("/certificate/not-a-certificate");
      visitor.await(d -> "unknown".equals(visitor.byTestId("certificate-page").getDomAttribute("data-state")));
    }
  }

  @Test
  @DisplayName("the facilitator writes a checkpoint quiz and completion rules in the editor, and attendees meet the quiz after its step")
  void writesAQuiz() {
    String id = http.createCodelab(admin, new JsonObject().put("title", unique("Quiz me "))
      .put("steps", new JsonArray().add(step("One", "First.")).add(step("Two", "Second."))));
    try (Browser facilitator = Browser.open(base(), 1440, 1000)) {
      signIn(facilitator);
      facilitator.go("/facilitator/codelabs/" + id);
      tap(facilitator, facilitator.byTestId("quiz-add"));
      WebElement quiz = facilitator.byTestId("quiz-draft");
      facilitator.byTestId("quiz-title").clear();
      facilitator.byTestId("quiz-title").sendKeys("Checkpoint");
      new Select(facilitator.byTestId("quiz-step")).selectByIndex(1);
      tap(facilitator, facilitator.byTestId("question-add-single"));
      assertThat(facilitator.byTestId("quiz-problem").getText()).contains("Question 1 has no text");
      facilitator.byTestId("question-prompt").sendKeys("Is the event loop **single-threaded**?");
      List<WebElement> texts = quiz.findElements(By.cssSelector("[data-testid='choice-text']"));
      texts.get(0).sendKeys("No");
      texts.get(1).sendKeys("Yes");
      assertThat(facilitator.byTestId("quiz-problem").getText()).contains("exactly one correct");
      tap(facilitator, quiz.findElements(By.cssSelector("[data-testid='choice-correct']")).get(1));
      tap(facilitator, facilitator.byTestId("question-add-short"));
      List<WebElement> prompts = facilitator.allByTestId("question-prompt");
      prompts.get(1).sendKeys("Which method answers a Future?");
      facilitator.byTestId("question-accepted").sendKeys("start\nstart()");
      assertThat(facilitator.allByTestId("quiz-problem")).isEmpty();
      tap(facilitator, facilitator.byTestId("rule-quiz"));
      facilitator.byTestId("rule-pass-mark").clear();
      facilitator.byTestId("rule-pass-mark").sendKeys("80");
      facilitator.screenshot("closing-quiz-editor-desktop-en-light");
      tap(facilitator, facilitator.byTestId("save"));
      facilitator.byTestId("saved");

      JsonObject saved = http.get("/api/codelabs/" + id + "/quizzes", admin).json().getJsonArray("quizzes").getJsonObject(0);
      assertThat(saved.getString("title")).isEqualTo("Checkpoint");
      assertThat(saved.getInteger("step")).isZero();
      JsonObject single = saved.getJsonArray("questions").getJsonObject(0);
      assertThat(single.getJsonArray("correct")).containsExactly(single.getJsonArray("choices").getJsonObject(1).getString("id"));
      assertThat(saved.getJsonArray("questions").getJsonObject(1).getJsonArray("accepted")).containsExactly("start", "start()");
      JsonObject rules = http.get("/api/codelabs/" + id, admin).json().getJsonObject("completion");
      assertThat(rules.getBoolean("quiz")).isTrue();
      assertThat(rules.getInteger("passMark")).isEqualTo(80);

      look(facilitator, "ko", "dark");
      facilitator.byTestId("quiz-draft");
      assertThat(facilitator.allByTestId("question-draft")).hasSize(2);
      facilitator.screenshot("closing-quiz-editor-desktop-ko-dark");
    }
    try (Browser attendee = phone()) {
      joinAndStay(attendee, id);
      assertThat(attendee.byTestId("quiz").getText()).contains("Checkpoint").contains("single-threaded");
      assertThat(attendee.allByTestId("quiz-question")).hasSize(2);
      attendee.screenshot("closing-checkpoint-phone-en-light");
      tap(attendee, attendee.byTestId("step-next"));
      attendee.await(d -> attendee.byTestId("step-title").getText().equals("Two"));
      assertThat(attendee.allByTestId("quiz")).isEmpty();
    }
  }

  private static List<String> missingParts(Browser browser) {
    return browser.allByTestId("completion-missing").stream().map(item -> item.getDomAttribute("data-part")).toList();
  }
}

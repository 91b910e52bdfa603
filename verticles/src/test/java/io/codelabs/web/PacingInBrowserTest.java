package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Pacing a room in two browsers: the facilitator's dashboard holds, polls and pins a note; an
 * attendee on a phone waits, answers and asks for help in its own words; the dashboard groups help.
 */
@DisplayName("Pacing a workshop in the browser")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PacingInBrowserTest extends NodeTestBase {
  private static final int PHONE = 390;

  private static String base() {
    return "http://127.0.0.1:" + node.httpPort;
  }

  private static Browser phone() {
    Browser browser = Browser.open(base(), PHONE, 844);
    browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
      Map.of("width", PHONE, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    return browser;
  }

  private static void tap(Browser browser, WebElement element) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    element.click();
  }

  private static void look(Browser browser, String locale, String theme) {
    browser.driver().executeScript("localStorage.setItem('locale', arguments[0]); localStorage.setItem('theme', arguments[1]);",
      locale, theme);
    browser.driver().navigate().refresh();
  }

  private static void awaitOnline(Browser browser) {
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getDomAttribute("data-state")));
  }

  private static void openDashboard(Browser browser, String codelabId) {
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    tap(browser, browser.byTestId("login-submit"));
    browser.byTestId("codelab-list");
    browser.go("/facilitator/codelabs/" + codelabId + "/dashboard");
    browser.byTestId("pacing-controls");
    awaitOnline(browser);
  }

  @Test
  @DisplayName("hold and release, a pulse poll with its live tally, a known-issue note and help grouped by its words")
  void pacesARoom() {
    String id = codelab(admin);
    for (String[] ask : new String[][] {{"ben", "Gradle sync fails"}, {"cat", "gradle sync hangs forever"}}) {
      assertThat(http.post("/api/codelabs/" + id + "/help", attendee(id, ask[0]),
        new JsonObject().put("step", 0).put("message", ask[1])).status()).isEqualTo(201);
    }
    try (Browser facilitator = Browser.open(base(), 1440, 900); Browser ada = phone()) {
      openDashboard(facilitator, id);
      ada.go("/c/" + id);
      ada.byTestId("join-nickname").sendKeys("ada");
      ada.byTestId("join-code").sendKeys("ada-code");
      tap(ada, ada.byTestId("join-submit"));
      awaitOnline(ada);

      new Select(facilitator.byTestId("pacing-step")).selectByValue("0");
      tap(facilitator, facilitator.byTestId("pacing-hold"));
      ada.await(d -> ada.allByTestId("hold-banner").size() == 1);
      assertThat(ada.byTestId("hold-banner").getText()).contains("step 1");
      assertThat(ada.byTestId("step-next").isEnabled()).isFalse();
      facilitator.await(d -> "0".equals(facilitator.byTestId("hold-badge").getDomAttribute("data-step")));

      facilitator.byTestId("known-issue-input").sendKeys("Gradle sync fails behind the proxy: use the offline mirror");
      tap(facilitator, facilitator.byTestId("known-issue-pin"));
      ada.await(d -> ada.allByTestId("known-issue").size() == 1);
      assertThat(ada.byTestId("known-issue-text").getText()).isEqualTo("Gradle sync fails behind the proxy: use the offline mirror");

      tap(facilitator, facilitator.byTestId("poll-start"));
      ada.await(d -> ada.allByTestId("pulse-poll").size() == 1);
      assertThat(ada.byTestId("pulse-poll").getText()).contains("Done with step 1?");
      tap(ada, ada.byTestId("poll-not-yet"));
      facilitator.await(d -> "1".equals(facilitator.byTestId("pulse-tally").getDomAttribute("data-not-yet")));
      tap(ada, ada.byTestId("poll-yes"));
      facilitator.await(d -> "1".equals(facilitator.byTestId("pulse-tally").getDomAttribute("data-yes"))
        && "0".equals(facilitator.byTestId("pulse-tally").getDomAttribute("data-not-yet")));
      assertThat(ada.byTestId("pulse-poll").getDomAttribute("data-answer")).isEqualTo("yes");

      tap(ada, ada.byTestId("help-button"));
      ada.byTestId("help-message").sendKeys("Gradle sync: timeout");
      tap(ada, ada.byTestId("help-send"));
      ada.await(d -> "open".equals(ada.byTestId("help-status").getDomAttribute("data-state")));
      WebElement group = facilitator.await(d -> facilitator.allByTestId("help-group").stream()
        .filter(g -> "3".equals(g.getDomAttribute("data-count"))).findFirst().orElse(null));
      assertThat(group.getDomAttribute("data-phrase")).isEqualTo("gradle sync");
      assertThat(group.getText()).contains("3 stuck on step 1").contains("3 say “gradle sync”");
      ada.screenshot("pacing-attendee-held-poll-phone");
      facilitator.screenshot("pacing-dashboard");

      tap(ada, ada.byTestId("help-cancel"));
      ada.await(d -> "cancelled".equals(ada.byTestId("help-status").getDomAttribute("data-state")));
      facilitator.await(d -> facilitator.allByTestId("help-group").stream()
        .anyMatch(g -> "2".equals(g.getDomAttribute("data-count"))));

      look(facilitator, "ko", "dark");
      facilitator.byTestId("pacing-controls");
      facilitator.await(d -> "1".equals(facilitator.byTestId("pulse-tally").getDomAttribute("data-yes")));
      facilitator.await(d -> facilitator.byTestId("help-groups").getText().contains("1단계에서 2명이 막힘"));
      facilitator.screenshot("pacing-dashboard-ko-dark");
      look(ada, "ko", "dark");
      ada.await(d -> ada.allByTestId("hold-banner").size() == 1 && ada.allByTestId("pulse-poll").size() == 1);
      ada.screenshot("pacing-attendee-held-poll-phone-ko-dark");

      tap(facilitator, facilitator.byTestId("pacing-release"));
      ada.await(d -> ada.allByTestId("hold-banner").isEmpty());
      assertThat(ada.byTestId("step-next").isEnabled()).isTrue();
      tap(facilitator, facilitator.byTestId("poll-close"));
      ada.await(d -> ada.allByTestId("pulse-poll").isEmpty());
      tap(ada, ada.byTestId("help-button"));
      tap(ada, ada.byTestId("help-send"));
      JsonObject asked = ada.await(d -> http.get("/api/codelabs/" + id + "/help", admin).json().getJsonArray("help").stream()
        .map(JsonObject.class::cast).filter(h -> "ada".equals(h.getString("nickname")) && "open".equals(h.getString("status")))
        .findFirst().orElse(null));
      assertThat(http.post("/api/codelabs/" + id + "/help/" + asked.getString("id") + "/resolve", admin, null).status())
        .isEqualTo(200);
      ada.await(d -> "resolved".equals(ada.byTestId("help-status").getDomAttribute("data-state")));
      tap(ada, ada.byTestId("step-next"));
      ada.await(d -> ada.byTestId("step-title").getText().equals("Build"));
      assertThat(ada.allByTestId("known-issue")).as("the note stays on its step").isEmpty();
      assertThat(ada.byTestId("help-status").getDomAttribute("data-state")).as("the resolved note stays on its step")
        .isEqualTo("none");
    }
  }

  @Test
  @DisplayName("an attendee on a desktop is sent to a step and may come back")
  void sendsEveryoneToAStep() {
    String id = codelab(admin);
    assertThat(http.put("/api/codelabs/" + id + "/known-issues", admin, new JsonObject().put("step", 2)
      .put("text", "Port 8080 is taken by the demo: use 8081")).status()).isEqualTo(200);
    try (Browser ada = Browser.open(base(), 1440, 900)) {
      ada.go("/c/" + id);
      ada.byTestId("join-nickname").sendKeys("ada");
      ada.byTestId("join-code").sendKeys("ada-code");
      tap(ada, ada.byTestId("join-submit"));
      awaitOnline(ada);
      assertThat(http.post("/api/codelabs/" + id + "/pacing/send-to-step", admin, new JsonObject().put("step", 2)).status())
        .isEqualTo(200);
      ada.await(d -> ada.byTestId("step-title").getText().equals("Ship"));
      assertThat(ada.byTestId("known-issue-text").getText()).contains("use 8081");
      ada.screenshot("pacing-attendee-sent-known-issue-desktop");
      look(ada, "ko", "dark");
      ada.byTestId("known-issue");
      ada.screenshot("pacing-attendee-sent-known-issue-desktop-ko-dark");
      tap(ada, ada.byTestId("step-prev"));
      ada.await(d -> ada.byTestId("step-title").getText().equals("Build"));
      assertThat(ada.allByTestId("known-issue")).isEmpty();
    }
  }
}

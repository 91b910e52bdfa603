package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

@DisplayName("A claat codelab imported from the facilitator's browser reads well for attendees: callouts, images, math")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClaatImportInBrowserTest extends NodeTestBase {
  private static final String CODELAB = """
    summary: Orbits with a little maths
    id: orbits
    categories: science
    status: Published
    authors: Mina Park

    # Orbits, Step by Step

    ## Kepler's third law
    Duration: 5:00

    The period grows with the orbit: $T^2 \\propto a^3$, and for a circle:

    $$
    v = \\sqrt{\\frac{G M}{r}}
    $$

    <aside class="positive">
    Measure the radius from the centre of the planet.
    </aside>

    <aside class="negative">
    Never mix kilometres and metres.
    </aside>

    Positive
    : Round numbers are fine for a first guess.

    ![An orbit](img/orbit.png)

    ## Check your numbers
    Duration: 2:00

    Compare with the table.
    """;

  private static Browser facilitator;
  private static Browser attendee;

  @TempDir
  static Path files;

  @BeforeAll
  static void openBrowsers() {
    facilitator = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 1000);
    attendee = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 900);
  }

  @AfterAll
  static void closeBrowsers() {
    facilitator.close();
    attendee.close();
  }

  @Test
  @DisplayName("imported from the UI, opened by an attendee: styled and localised callouts, the image loaded, math typeset")
  void claatCodelabForAttendees() throws IOException {
    Path zip = files.resolve("orbits.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("orbits/orbits.md"));
      out.write(CODELAB.getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("orbits/img/orbit.png"));
      out.write(png());
    }
    facilitator.go("/facilitator");
    facilitator.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    facilitator.byTestId("login-password").sendKeys(node.createdPassword);
    facilitator.byTestId("login-submit").click();
    facilitator.byTestId("import-input").sendKeys(zip.toString());
    facilitator.byTestId("import-done");
    assertThat(facilitator.allByTestId("import-warnings").get(0).findElements(By.tagName("li")).stream()
      .map(WebElement::getText).toList()).noneMatch(warning -> warning.contains("orbit.png"));
    WebElement row = facilitator.await(d -> d.findElements(By.cssSelector("[data-testid='codelab-row']")).stream()
      .filter(candidate -> candidate.getText().contains("Orbits, Step by Step")).findFirst().orElse(null));
    String codelabId = row.getDomAttribute("data-codelab-id");

    attendee.go("/c/" + codelabId);
    attendee.byTestId("join-nickname").sendKeys("kepler");
    attendee.byTestId("join-code").sendKeys("kepler-code-2026");
    attendee.byTestId("join-submit").click();
    attendee.await(d -> typeset() == 2);
    WebElement content = attendee.byTestId("step-content");

    assertThat(content.findElements(By.cssSelector(".math-inline .katex"))).hasSize(1);
    assertThat(content.findElement(By.cssSelector(".math-inline .katex-mathml")).getDomProperty("textContent"))
      .contains("T", "∝", "a");
    assertThat(content.findElements(By.cssSelector(".math-display .katex-display"))).hasSize(1);
    assertThat(content.findElements(By.cssSelector(".katex-error"))).isEmpty();
    List<WebElement> tips = content.findElements(By.cssSelector(".callout-tip"));
    List<WebElement> warnings = content.findElements(By.cssSelector(".callout-warning"));
    assertThat(tips).extracting(WebElement::getText).satisfiesExactly(
      tip -> assertThat(tip).startsWithIgnoringCase("Tip").contains("Measure the radius from the centre of the planet."),
      tip -> assertThat(tip).startsWithIgnoringCase("Tip").contains("Round numbers are fine for a first guess."));
    assertThat(warnings).extracting(WebElement::getText).singleElement().asString().startsWithIgnoringCase("Warning")
      .contains("Never mix kilometres and metres.");
    assertStyled(tips.get(0));
    assertStyled(warnings.get(0));
    assertThat(tips.get(0).getCssValue("border-left-color")).isNotEqualTo(warnings.get(0).getCssValue("border-left-color"));
    WebElement image = attendee.await(d -> {
      WebElement shown = content.findElement(By.cssSelector("img[alt='An orbit']"));
      return "true".equals(shown.getDomProperty("complete")) && !"0".equals(shown.getDomProperty("naturalWidth"))
        ? shown : null;
    });
    assertThat(image.getDomAttribute("src")).startsWith("/api/codelabs/" + codelabId + "/materials/");
    assertThat(image.getDomProperty("naturalWidth")).isEqualTo("240");
    screenshots("claat-attendee-1440", null);

    attendee.driver().executeScript("localStorage.setItem('locale', 'ko')");
    attendee.driver().navigate().refresh();
    attendee.await(d -> typeset() == 2);
    assertThat(attendee.byTestId("step-content").findElements(By.cssSelector(".callout-tip > .callout-title")))
      .extracting(WebElement::getText).containsExactly("팁", "팁");
    assertThat(attendee.byTestId("step-content").findElement(By.cssSelector(".callout-warning > .callout-title"))
      .getText()).isEqualTo("주의");
    attendee.screenshot("claat-attendee-1440-ko");
    attendee.driver().executeScript("localStorage.setItem('locale', 'en')");

    attendee.driver().manage().window().setSize(new Dimension(390, 844));
    attendee.driver().navigate().refresh();
    attendee.await(d -> typeset() == 2);
    WebElement narrow = attendee.byTestId("step-content");
    assertThat(narrow.getSize().getWidth()).isLessThanOrEqualTo(390);
    assertThat((Boolean) attendee.driver().executeScript(
      "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).as("no sideways scrolling")
      .isTrue();
    screenshots("claat-attendee-390", ".math-display");
  }

  private static int typeset() {
    return attendee.byTestId("step-content").findElements(By.cssSelector("[data-typeset]")).size();
  }

  /** A callout is a box of its own: a coloured left border and a background of its own. */
  private static void assertStyled(WebElement callout) {
    assertThat(callout.getCssValue("border-left-width")).isEqualTo("4px");
    assertThat(callout.getCssValue("background-color")).isNotIn("rgba(0, 0, 0, 0)", "transparent");
    assertThat(callout.findElement(By.cssSelector(".callout-title")).getCssValue("font-weight")).isEqualTo("600");
  }

  /** The same view in the light theme, then in the dark one, each as a reload finds it, scrolled to an element if given. */
  private static void screenshots(String name, String scrollTo) {
    for (String theme : List.of("light", "dark")) {
      attendee.driver().executeScript("localStorage.setItem('theme', arguments[0])", theme);
      attendee.driver().navigate().refresh();
      attendee.await(d -> typeset() == 2);
      assertThat(attendee.driver().findElement(By.tagName("html")).getDomAttribute("class") + "")
        .matches(theme.equals("dark") ? ".*\\bdark\\b.*" : "(?!.*\\bdark\\b).*");
      if (scrollTo != null) {
        attendee.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})",
          attendee.byTestId("step-content").findElement(By.cssSelector(scrollTo)));
      }
      attendee.screenshot(name + "-" + theme);
    }
    attendee.driver().executeScript("localStorage.setItem('theme', 'light')");
  }

  private static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(240, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(new Color(15, 23, 42));
    graphics.fillRect(0, 0, 240, 120);
    graphics.setColor(Color.ORANGE);
    graphics.fillOval(100, 40, 40, 40);
    graphics.setColor(Color.CYAN);
    graphics.drawOval(30, 10, 180, 100);
    graphics.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }
}

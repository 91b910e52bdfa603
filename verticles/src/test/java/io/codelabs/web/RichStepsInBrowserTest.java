package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

@DisplayName("Rich steps in the browser: images pasted or dropped in the editor, math, callouts and embeds for attendees")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RichStepsInBrowserTest extends NodeTestBase {
  private static final String RICH_STEP = """
    ## Set up

    Euler: $e^{i\\pi} + 1 = 0$, and a sum:

    $$
    \\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}
    $$

    > [!TIP]
    > Keep the terminal open.

    > [!WARNING]
    > Never commit secrets.

    - [x] Java 17
    - [ ] Maven

    ![Intro video](https://youtu.be/dQw4w9WgXcQ)

    Broken TeX stays readable: $\\frac{1}{$ and $\\href{javascript:alert(1)}{click}$.
    """;
  /** Pastes or drops a file (name, base64 bytes, type) into the element, as a person would. */
  private static final String TRANSFER_FILE = """
    const [target, name, base64, how, type] = arguments;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, { type }));
    target.focus();
    const event = how === 'paste'
      ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
      : new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
    """;

  private static Browser facilitator;
  private static Browser attendee;

  @BeforeAll
  static void openBrowsers() {
    facilitator = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 1000);
    attendee = Browser.open("http://127.0.0.1:" + node.httpPort, 1100, 1400);
  }

  @AfterAll
  static void closeBrowsers() {
    facilitator.close();
    attendee.close();
  }

  @Test
  @DisplayName("a pasted and a dropped image upload as codelab images and show in the preview; attendees see them with math, callouts and a video")
  void imagesMathCalloutsAndEmbeds() throws IOException {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", unique("Rich ")).put("steps",
      new JsonArray().add(step("Set up", RICH_STEP)).add(step("Next", "Done."))));
    signIn();
    facilitator.go("/facilitator/codelabs/" + codelabId);
    WebElement markdown = facilitator.byTestId("step-markdown");
    facilitator.await(d -> !facilitator.byTestId("step-preview").findElements(By.cssSelector(".katex")).isEmpty());

    facilitator.driver().executeScript(TRANSFER_FILE, markdown, "notes.txt", "bm90ZXM=", "drop", "text/plain");
    assertThat(facilitator.byTestId("step-image-error").getDomAttribute("data-status")).isEqualTo("415");
    assertThat(markdown.getDomProperty("value")).isEqualTo(RICH_STEP);
    assertThat(facilitator.driver().getCurrentUrl()).endsWith("/facilitator/codelabs/" + codelabId);

    markdown.sendKeys(Keys.chord(Keys.CONTROL, Keys.HOME));
    facilitator.driver().executeScript(TRANSFER_FILE, markdown, "pasted.png", png(Color.ORANGE), "paste", "image/png");
    String pasted = facilitator.await(d -> markdown.getDomProperty("value").startsWith("![pasted.png](") ? markdown.getDomProperty("value") : null);
    assertThat(pasted).matches("(?s)!\\[pasted\\.png]\\(/api/codelabs/" + codelabId + "/materials/[^/)]+/file\\)\\n## Set up.*");
    facilitator.driver().executeScript(TRANSFER_FILE, markdown, "dropped.png", png(Color.CYAN), "drop", "image/png");
    facilitator.await(d -> markdown.getDomProperty("value").contains("![dropped.png]("));
    List<WebElement> previewImages = facilitator.await(d -> {
      List<WebElement> images = facilitator.byTestId("step-preview").findElements(By.cssSelector("img[src*='/materials/']"));
      return images.size() == 2 && images.stream().allMatch(RichStepsInBrowserTest::loaded) ? images : null;
    });
    assertThat(previewImages).extracting(image -> image.getDomAttribute("alt")).containsExactly("pasted.png", "dropped.png");
    assertThat(facilitator.allByTestId("step-image-error")).isEmpty();
    facilitator.screenshot("editor-rich-step");
    facilitator.byTestId("save").click();
    facilitator.byTestId("saved");

    JsonArray images = http.get("/api/codelabs/" + codelabId + "/materials", admin).json().getJsonArray("materials");
    assertThat(images.stream().map(image -> ((JsonObject) image).getString("kind"))).containsExactly("image", "image");

    attendee.go("/c/" + codelabId);
    attendee.byTestId("join-nickname").sendKeys("ada");
    attendee.byTestId("join-code").sendKeys("ada-code-2026");
    attendee.byTestId("join-submit").click();
    attendee.await(d -> typeset(attendee) == 4);
    WebElement content = attendee.byTestId("step-content");
    assertThat(content.findElements(By.cssSelector(".math-display .katex-display"))).hasSize(1);
    List<WebElement> inline = content.findElements(By.cssSelector(".math-inline"));
    assertThat(inline.get(0).findElement(By.cssSelector(".katex-mathml")).getDomProperty("textContent")).contains("π");
    assertThat(inline.get(1).findElements(By.cssSelector(".katex-error"))).hasSize(1);
    assertThat(inline.get(1).getText()).isEqualTo("\\frac{1}{");
    assertThat(inline.get(2).getText()).contains("\\href");
    assertThat(content.findElements(By.cssSelector(".math-inline a, .math-display a"))).isEmpty();
    Object katexFonts = attendee.driver().executeAsyncScript("""
      const done = arguments[0];
      document.fonts.ready.then(() => done([...document.fonts]
        .filter((font) => font.family.includes('KaTeX') && font.status === 'loaded').length));
      """);
    assertThat(((Number) katexFonts).intValue()).as("KaTeX fonts loaded from this origin under the page policy").isPositive();
    assertThat(content.findElement(By.cssSelector(".callout-tip > .callout-title")).getText()).isEqualToIgnoringCase("Tip");
    assertThat(content.findElement(By.cssSelector(".callout-warning")).getText()).contains("Never commit secrets.");
    WebElement video = content.findElement(By.cssSelector(".embed-youtube iframe"));
    assertThat(video.getDomAttribute("src")).isEqualTo("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    assertThat(video.getDomAttribute("sandbox")).isEqualTo("allow-scripts allow-same-origin allow-popups allow-presentation");
    assertThat(video.getDomAttribute("title")).isEqualTo("Intro video");
    assertThat(video.getSize().getHeight() * 16).isBetween(video.getSize().getWidth() * 9 - 32, video.getSize().getWidth() * 9 + 32);
    assertThat(content.findElements(By.cssSelector("input[type='checkbox'][disabled]"))).hasSize(2);
    assertThat(content.findElement(By.cssSelector("h2#md-set-up > a.heading-anchor")).getDomAttribute("href")).isEqualTo("#md-set-up");
    List<WebElement> stepImages = attendee.await(d -> {
      List<WebElement> shown = content.findElements(By.cssSelector("img"));
      return shown.size() == 2 && shown.stream().allMatch(RichStepsInBrowserTest::loaded) ? shown : null;
    });
    assertThat(stepImages).hasSize(2);
    attendee.screenshot("attendee-rich-step");
    attendee.driver().executeScript("localStorage.setItem('theme', 'dark')");
    attendee.driver().navigate().refresh();
    attendee.await(d -> typeset(attendee) == 4);
    attendee.screenshot("attendee-rich-step-dark");
  }

  private void signIn() {
    facilitator.go("/facilitator");
    facilitator.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    facilitator.byTestId("login-password").sendKeys(node.createdPassword);
    facilitator.byTestId("login-submit").click();
    facilitator.byTestId("codelab-list");
  }

  private static int typeset(Browser browser) {
    return browser.byTestId("step-content").findElements(By.cssSelector("[data-typeset]")).size();
  }

  private static boolean loaded(WebElement image) {
    return "true".equals(image.getDomProperty("complete")) && !"0".equals(image.getDomProperty("naturalWidth"));
  }

  private static String png(Color color) throws IOException {
    BufferedImage image = new BufferedImage(160, 90, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(color);
    graphics.fillRect(0, 0, 160, 90);
    graphics.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}

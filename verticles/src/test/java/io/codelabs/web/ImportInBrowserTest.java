package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import org.openqa.selenium.WebElement;

@DisplayName("The facilitator imports and exports codelabs from the browser")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ImportInBrowserTest extends NodeTestBase {
  private static Browser browser;

  @TempDir
  static Path files;

  @BeforeAll
  static void openBrowser() {
    browser = Browser.open("http://127.0.0.1:" + node.httpPort, 1440, 1000);
  }

  @AfterAll
  static void closeBrowser() {
    browser.close();
  }

  @Test
  @DisplayName("imports a claat ZIP with its images, reads the warnings, opens it with its image shown, finds Export")
  void importsAClaatZip() throws IOException {
    Path zip = files.resolve("brewing.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
         InputStream markdown = getClass().getResourceAsStream("/import/every-construct.md")) {
      out.putNextEntry(new ZipEntry("brewing/codelab.md"));
      markdown.transferTo(out);
      out.putNextEntry(new ZipEntry("brewing/img/kettle.png"));
      out.write(png(Color.ORANGE));
      out.putNextEntry(new ZipEntry("brewing/img/cup.png"));
      out.write(png(Color.BLUE));
    }
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    browser.byTestId("login-submit").click();
    browser.byTestId("import");

    browser.byTestId("import-input").sendKeys(zip.toString());

    browser.byTestId("import-done");
    List<String> warnings = browser.allByTestId("import-warnings").get(0).findElements(By.tagName("li")).stream()
      .map(WebElement::getText).toList();
    assertThat(warnings).anyMatch(warning -> warning.contains("status: Published"))
      .noneMatch(warning -> warning.contains("not in the upload"));
    WebElement row = browser.await(d -> d.findElements(By.cssSelector("[data-testid='codelab-row']")).stream()
      .filter(candidate -> candidate.getText().contains("Brewing Tea, Step by Step")).findFirst().orElse(null));
    String codelabId = row.getAttribute("data-codelab-id");
    assertThat(row.findElement(By.cssSelector("[data-testid='codelab-export']")).getAttribute("href"))
      .endsWith("/api/codelabs/" + codelabId + "/export");
    browser.screenshot("import-done");
    Object exported = browser.driver().executeAsyncScript("fetch(arguments[0]).then(response => "
      + "arguments[1](response.status + ' ' + response.headers.get('Content-Type')))",
      row.findElement(By.cssSelector("[data-testid='codelab-export']")).getAttribute("href"));
    assertThat(exported).isEqualTo("200 application/zip");

    browser.byTestId("import-open").click();
    browser.byTestId("editor");
    assertThat(browser.byTestId("export-codelab").getAttribute("href")).endsWith("/api/codelabs/" + codelabId + "/export");
    browser.driver().findElements(By.cssSelector("[data-testid='step-select']")).get(1).click();
    assertThat(browser.byTestId("step-markdown").getAttribute("value")).contains("> [!TIP]", "> [!WARNING]",
      "/api/codelabs/" + codelabId + "/materials/");
    Boolean loaded = browser.await(d -> {
      List<WebElement> images = d.findElements(By.cssSelector("[data-testid='step-preview'] img"));
      return !images.isEmpty() && (Boolean) browser.driver()
        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", images.get(0)) ? true : null;
    });
    assertThat(loaded).isTrue();
    browser.screenshot("import-opened");
  }

  private static byte[] png(Color color) throws IOException {
    BufferedImage image = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(color);
    graphics.fillRect(0, 0, 120, 60);
    graphics.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }
}

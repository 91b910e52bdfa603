package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.storage.UploadLimits;
import io.codelabs.uploads.Clamd;
import io.vertx.core.Vertx;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Hand-ins and materials through the pages, on a node that scans uploads with a real clamd. */
@DisplayName("Submissions and materials in the browser")
class SubmissionsInBrowserTest extends NodeTestBase {
  private static final int MAX_FILE = 64 * 1024;

  @TempDir
  static Path files;
  @TempDir
  static Path clamdDir;
  private static Clamd clamd;

  @BeforeAll
  protected static void startNode() {
    Vertx starter = Vertx.vertx();
    try {
      clamd = Clamd.start(starter, clamdDir);
    } finally {
      starter.close().await();
    }
    node = TestNode.start(dataDir, clamd.tcpConfig().put(UploadLimits.MAX_FILE_BYTES, MAX_FILE));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @AfterAll
  static void stopClamd() {
    clamd.close();
  }

  private static String base() {
    return "http://127.0.0.1:" + node.httpPort;
  }

  private static void join(Browser browser, String codelabId, String nickname) {
    browser.go("/c/" + codelabId);
    browser.byTestId("join-nickname").sendKeys(nickname);
    browser.byTestId("join-code").sendKeys("code-" + nickname);
    browser.byTestId("join-submit").click();
    browser.byTestId("step-title");
    awaitOnline(browser);
  }

  private static void openDashboard(Browser browser, String codelabId) {
    browser.go("/facilitator");
    browser.byTestId("login-username").sendKeys(Node.FIRST_FACILITATOR);
    browser.byTestId("login-password").sendKeys(node.createdPassword);
    browser.byTestId("login-submit").click();
    browser.byTestId("codelab-list");
    browser.go("/facilitator/codelabs/" + codelabId + "/dashboard");
    browser.byTestId("submissions");
    awaitOnline(browser);
  }

  private static void awaitOnline(Browser browser) {
    browser.await(d -> "online".equals(browser.byTestId("connection-status").getDomAttribute("data-state")));
  }

  /** Clicks after scrolling the element to the middle, clear of the phone layout's fixed step bar. */
  private static void click(Browser browser, WebElement element) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    element.click();
  }

  private static Path file(String name, byte[] content) {
    try {
      return Files.write(files.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path picture(String name) {
    BufferedImage image = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
    var graphics = image.createGraphics();
    graphics.setColor(new Color(0x2563eb));
    graphics.fillRect(0, 0, 320, 180);
    graphics.setColor(Color.WHITE);
    graphics.fillOval(110, 40, 100, 100);
    graphics.dispose();
    try {
      Path path = files.resolve(name);
      ImageIO.write(image, "png", path.toFile());
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> names(Browser browser, String testId) {
    return browser.allByTestId(testId).stream().map(WebElement::getText).toList();
  }

  /** Sends a file through the hand-in panel and waits until the upload is over, however it ended. */
  private static void handIn(Browser browser, Path path) {
    browser.byTestId("hand-in-file-input").sendKeys(path.toAbsolutePath().toString());
    browser.await(d -> browser.allByTestId("hand-in-progress").isEmpty());
  }

  @Test
  @DisplayName("an attendee hands in a file and a link; the dashboard lists them live, downloads the file, and sees one deleted")
  void handInSeenLiveAndDeleted() {
    String id = codelab(admin);
    Path code = file("Main.java", "class Main { public static void main(String[] a) { System.out.println(1); } }\n"
      .getBytes(StandardCharsets.UTF_8));
    try (Browser ann = Browser.open(base(), 390, 844); Browser facilitator = Browser.open(base())) {
      openDashboard(facilitator, id);
      assertThat(facilitator.byTestId("submissions-count").getText()).isEqualTo("0");
      join(ann, id, "ann");
      click(ann, ann.byTestId("tab-hand-in"));

      ann.byTestId("hand-in-title").sendKeys("My solution");
      handIn(ann, code);
      ann.await(d -> names(ann, "my-submission-name").equals(List.of("My solution")));
      click(ann, ann.byTestId("hand-in-link"));
      ann.byTestId("hand-in-link").sendKeys("https://github.com/ann/vertx-lab");
      click(ann, ann.byTestId("hand-in-link-submit"));
      ann.await(d -> names(ann, "my-submission-name").equals(List.of("https://github.com/ann/vertx-lab", "My solution")));
      assertThat(ann.allByTestId("hand-in-error")).isEmpty();
      assertThat(ann.byTestId("hand-in-link").getDomProperty("value")).isEmpty();
      click(ann, ann.byTestId("my-submission-download"));
      ann.screenshot("attendee-submissions");

      facilitator.await(d -> names(facilitator, "submission-name").equals(List.of("https://github.com/ann/vertx-lab", "My solution")));
      assertThat(facilitator.byTestId("submissions-count").getText()).isEqualTo("2");
      assertThat(facilitator.allByTestId("submission")).allSatisfy(row -> assertThat(row.getDomAttribute("data-nickname")).isEqualTo("ann"));
      String href = facilitator.byTestId("submission-download").getDomAttribute("href");
      String submissionId = facilitator.allByTestId("submission").get(1).getDomAttribute("data-id");
      assertThat(href).isEqualTo("/api/codelabs/" + id + "/submissions/" + submissionId + "/file");
      Http.Response download = http.get(href, admin);
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.header("Content-Disposition")).startsWith("attachment").contains("Main.java");
      assertThat(download.text()).contains("System.out.println(1)");
      assertThat(facilitator.byTestId("submission-open").getDomAttribute("rel")).isEqualTo("noopener noreferrer");
      facilitator.screenshot("dashboard-submissions");

      WebElement link = ann.allByTestId("my-submission").get(0);
      assertThat(link.getDomAttribute("data-kind")).isEqualTo("link");
      click(ann, link.findElement(By.cssSelector("[data-testid='my-submission-delete']")));
      click(ann, ann.byTestId("my-submission-confirm-delete"));
      ann.await(d -> names(ann, "my-submission-name").equals(List.of("My solution")));
      facilitator.await(d -> names(facilitator, "submission-name").equals(List.of("My solution")));
      assertThat(facilitator.byTestId("submissions-count").getText()).isEqualTo("1");
      assertThat(http.get("/api/codelabs/" + id + "/submissions", admin).json().getJsonArray("submissions")).hasSize(1);
    }
  }

  @Test
  @DisplayName("a refused upload says why in the attendee's page, and an infected one warns the facilitator")
  void refusedUploadsExplained() {
    String id = codelab(admin);
    try (Browser bob = Browser.open(base()); Browser facilitator = Browser.open(base())) {
      openDashboard(facilitator, id);
      join(bob, id, "bob");
      click(bob, bob.byTestId("tab-hand-in"));

      handIn(bob, file("program.bin", new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 3, 0, (byte) 0xff, 0}));
      assertThat(bob.byTestId("hand-in-error").getDomAttribute("data-status")).isEqualTo("415");
      assertThat(bob.byTestId("hand-in-error").getText()).contains("type of file is not accepted");

      handIn(bob, file("huge.txt", "a line of text\n".repeat(MAX_FILE / 10).getBytes(StandardCharsets.UTF_8)));
      assertThat(bob.byTestId("hand-in-error").getDomAttribute("data-status")).isEqualTo("413");
      assertThat(bob.byTestId("hand-in-error").getText()).contains("too large");

      handIn(bob, file("notes.txt", Clamd.EICAR.getBytes(StandardCharsets.US_ASCII)));
      assertThat(bob.byTestId("hand-in-error").getDomAttribute("data-status")).isEqualTo("422");
      assertThat(bob.byTestId("hand-in-error").getText()).contains("virus check");
      assertThat(bob.allByTestId("my-submission")).isEmpty();
      new Select(bob.byTestId("locale-switch")).selectByValue("ko");
      bob.await(d -> bob.byTestId("hand-in-error").getText().contains("바이러스 검사를 통과하지 못해"));

      assertThat(facilitator.byTestId("upload-rejected-item").getText())
        .contains("An infected file from bob was rejected").contains("notes.txt");
      assertThat(facilitator.byTestId("submissions-count").getText()).isEqualTo("0");
    }
  }

  @Test
  @DisplayName("materials a facilitator adds appear live on the attendee's page, the image inline")
  void materialsAppearLive() {
    String id = codelab(admin);
    try (Browser cho = Browser.open(base()); Browser facilitator = Browser.open(base())) {
      openDashboard(facilitator, id);
      join(cho, id, "cho");
      assertThat(cho.allByTestId("materials")).isEmpty();
      assertThat(cho.allByTestId("tab-materials")).isEmpty();

      facilitator.byTestId("material-title").sendKeys("Vert.x documentation");
      facilitator.byTestId("material-url").sendKeys("https://vertx.io/docs/");
      facilitator.byTestId("material-add-link").click();
      facilitator.await(d -> facilitator.allByTestId("managed-material").size() == 1);

      facilitator.byTestId("material-kind-image").click();
      facilitator.byTestId("material-title").sendKeys("Architecture");
      facilitator.byTestId("material-image-input").sendKeys(picture("architecture.png").toAbsolutePath().toString());
      facilitator.await(d -> facilitator.allByTestId("managed-material").size() == 2);
      assertThat(facilitator.allByTestId("material-error")).isEmpty();

      cho.byTestId("tab-materials").click();
      WebElement link = cho.byTestId("material-link");
      assertThat(link.getText()).isEqualTo("Vert.x documentation");
      assertThat(link.getDomAttribute("href")).isEqualTo("https://vertx.io/docs/");
      assertThat(link.getDomAttribute("target")).isEqualTo("_blank");
      assertThat(link.getDomAttribute("rel")).isEqualTo("noopener noreferrer");
      WebElement image = cho.byTestId("material-image");
      assertThat(image.getDomAttribute("alt")).isEqualTo("Architecture");
      cho.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", image);
      cho.await(d -> ((Number) cho.driver().executeScript("return arguments[0].complete && arguments[0].naturalWidth", image))
        .intValue() == 320);
      cho.screenshot("attendee-materials");
      cho.driver().findElement(By.cssSelector("button[aria-pressed]")).click();
      cho.await(d -> cho.driver().findElement(By.tagName("html")).getDomProperty("className").contains("dark"));
      cho.screenshot("attendee-materials-dark");

      facilitator.byTestId("material-kind-image").click();
      facilitator.byTestId("material-image-input").sendKeys(file("notes.txt", "not a picture\n".getBytes(StandardCharsets.UTF_8))
        .toAbsolutePath().toString());
      assertThat(facilitator.byTestId("material-error").getText()).contains("Only images");

      facilitator.allByTestId("material-remove").get(0).click();
      cho.await(d -> cho.allByTestId("material-link").isEmpty());
      assertThat(cho.allByTestId("material-image")).hasSize(1);
    }
  }
}

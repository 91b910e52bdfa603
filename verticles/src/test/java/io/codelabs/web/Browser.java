package io.codelabs.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's browser: Debian's headless Chromium with its own empty profile, so cookies and
 * storage are never shared between two people in one test. Never downloads a browser.
 */
public final class Browser implements AutoCloseable {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final int NARROWEST_WINDOW = 500;

  private final ChromeDriver driver;
  private final Path profile;
  private final String baseUrl;

  private Browser(ChromeDriver driver, Path profile, String baseUrl) {
    this.driver = driver;
    this.profile = profile;
    this.baseUrl = baseUrl;
  }

  /**
   * A browser window of the given size whose relative paths resolve against baseUrl; below the narrowest desktop window
   * it is a phone's viewport.
   */
  public static Browser open(String baseUrl, int width, int height) {
    return width < NARROWEST_WINDOW
      ? window(baseUrl, NARROWEST_WINDOW, height).viewport(width, height, true)
      : window(baseUrl, width, height);
  }

  private static Browser window(String baseUrl, int width, int height) {
    System.setProperty("SE_OFFLINE", "true");
    try {
      Path profile = Files.createTempDirectory("codelabs-chromium");
      ChromeOptions options = new ChromeOptions()
        .setBinary("/usr/bin/chromium")
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-quic", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
          "--lang=en-US", "--accept-lang=en-US");
      ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
        .usingAnyFreePort()
        .build();
      return new Browser(new ChromeDriver(service, options), profile, baseUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Browser open(String baseUrl) {
    return open(baseUrl, 1366, 900);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public Browser go(String path) {
    driver.get(baseUrl + path);
    return this;
  }

  /** Signs in through the facilitator login page and waits until the signed-in page shows. */
  public Browser signIn(String username, String password) {
    go("/facilitator");
    byTestId("login-username").sendKeys(username);
    byTestId("login-password").sendKeys(password);
    byTestId("login-submit").click();
    byTestId("logout");
    return this;
  }

  /** The element with this data-testid, once it is on the page. */
  public WebElement byTestId(String testId) {
    return await(d -> d.findElement(By.cssSelector("[data-testid='" + testId + "']")));
  }

  public List<WebElement> allByTestId(String testId) {
    return driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
  }

  /** Waits until the condition gives a non-null, non-false value; fails after a fixed patience. */
  public <T> T await(Function<WebDriver, T> condition) {
    return await(PATIENCE, condition);
  }

  public <T> T await(Duration patience, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, patience).ignoring(org.openqa.selenium.NoSuchElementException.class)
      .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
      .until(condition::apply);
  }

  /**
   * Exactly this viewport, as a phone or a desktop shows it: a desktop Chromium window never gets narrower than about
   * 500 px, so a 390 px phone needs the device metrics set through DevTools.
   */
  public Browser viewport(int width, int height, boolean mobile) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
      "width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    return this;
  }

  /**
   * DevTools' offline mode: the page is told it is offline and new connections fail. An open
   * WebSocket stays up in this Chromium; the page must drop it itself on the offline event.
   */
  public void offline(boolean offline) {
    driver.executeCdpCommand("Network.enable", java.util.Map.of());
    driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of(
      "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /** Saves a PNG under target/screenshots for people to look at. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

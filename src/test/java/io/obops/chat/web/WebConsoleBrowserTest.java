package io.obops.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.api.OcpResponses;
import io.obops.cluster.ObServer;
import io.obops.ocp.TaskView;
import io.obops.sandbox.Sandbox;
import io.obops.task.TaskEngine;
import io.obops.testsupport.Browser;
import io.obops.testsupport.PostgresSpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The web console in a real headless Chromium against the whole application (PostgreSQL, the
 * sandbox over real SSH, the engine and the chat ticker running), as a newcomer uses it: {@code
 * help}, a stop asked by name with the reason as free text, the thread opening by itself, a reject
 * with a comment, an approval, the card going PENDING → RUNNING → STOPPED ✓ in place, the compact
 * board, files that open in the browser, a 420 px wide window, and a command sent while obops does
 * not answer; then Start again on the stop's summary, approved by bob, brings every observer back.
 * The sandbox has 3 zones × 1 server; {@code -Dobops.browser.servers-per-zone=67} (and {@code
 * zones}) runs the same at 200 observers. Screenshots go to /tmp/obops-console-*.png.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // the embedded default's preset reads obops.embedded before @DynamicPropertySource applies
    properties = "obops.embedded=true")
@DirtiesContext
class WebConsoleBrowserTest extends PostgresSpringTest {

  static final int ZONES = Integer.getInteger("obops.browser.zones", 3);
  static final int PER_ZONE = Integer.getInteger("obops.browser.servers-per-zone", 1);
  static final int SERVERS = ZONES * PER_ZONE;

  @DynamicPropertySource
  static void embeddedConsoleWithSandbox(DynamicPropertyRegistry registry) throws Exception {
    String sandboxDir = Files.createTempDirectory("obops-browser-sandbox-").toString();
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> String.valueOf(ZONES));
    registry.add("obops.sandbox.servers-per-zone", () -> String.valueOf(PER_ZONE));
    registry.add("obops.sandbox.base-dir", () -> sandboxDir);
    registry.add("obops.engine.poll-interval", () -> "50ms");
    registry.add("obops.chat.tick-interval", () -> "100ms");
    registry.add("obops.chat.board-interval", () -> "300ms");
  }

  @LocalServerPort int port;
  @Autowired Sandbox sandbox;
  @Autowired TaskEngine engine;
  @Autowired OcpResponses responses;
  @Autowired ObjectMapper json;

  private Path scratch;
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void openBrowser() throws Exception {
    engine.start(); // the base class leaves it stopped; here it runs as in production
    scratch = Files.createTempDirectory("obops-chromium-");
    browser = Browser.open(scratch, 1400, 1000);
    wait = new WebDriverWait(browser, Duration.ofSeconds(SERVERS > 20 ? 180 : 30));
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    try (Stream<Path> walk = Files.walk(scratch)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Picks who we are; the page then reloads what this person may see and listens again. */
  private void as(String name) {
    Select identity = new Select(browser.findElement(By.id("identity")));
    if (!identity.getFirstSelectedOption().getAttribute("value").equals(name)) {
      identity.selectByValue(name);
      wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    }
  }

  private void type(String command) {
    browser.findElement(By.id("command")).sendKeys(command);
    browser.findElement(By.id("send")).click();
  }

  /** The newest private reply (not an echo of a command). */
  private String lastReply() {
    var replies = browser.findElements(By.cssSelector("#reply .entry:not(.echo)"));
    return replies.isEmpty() ? "" : replies.get(replies.size() - 1).getText();
  }

  /**
   * Opens the thread of the channel's last card. The channel is drawn again whenever a post or an
   * edit arrives (they arrive on their own, from each conversation's delivery), so a button found a
   * moment ago may be gone: find it again then.
   */
  private void openLastThread() {
    wait.until(
        d -> {
          try {
            d.findElement(
                    By.xpath(
                        "(//div[@id='channel']//button[contains(@class,'open-thread')])[last()]"))
                .click();
            return true;
          } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
            return false;
          }
        });
  }

  private void waitForReply(String text) {
    wait.until(d -> lastReply().contains(text));
  }

  private boolean paneShown() {
    return browser.findElement(By.id("threadPane")).isDisplayed();
  }

  private String file() {
    return "obops-console-" + SERVERS + "-servers-";
  }

  @Test
  void aNewcomerAsksByNameIsRejectedWithAReasonThenApprovedAndWatchesTheCardAndBoard()
      throws Exception {
    browser.get("http://127.0.0.1:" + port + "/");
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    assertThat(paneShown()).as("the thread pane starts closed").isFalse();

    // help, typed as people type it, rendered as markdown; the command is echoed
    as("alice");
    type("help");
    waitForReply("/obcluster list");
    assertThat(browser.findElement(By.id("reply")).getText()).contains("help").doesNotContain("**");
    assertThat(browser.findElements(By.cssSelector("#reply .entry:not(.echo) code"))).isNotEmpty();

    // a near miss
    type("/obcluster stopp demo");
    waitForReply("Did you mean /obcluster stop?");

    // the cluster by name, the reason as free text: the card, and its thread opens by itself
    type("/obcluster stop demo browser drill");
    waitForReply("is posted");
    wait.until(d -> paneShown());
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), "Everything about request"));
    WebElement card = browser.findElement(By.cssSelector("#channel .msg[data-request]"));
    assertThat(card.getText())
        .contains(
            "Stop cluster demo?",
            "browser drill",
            "PENDING · expires in 15 min",
            "Who can approve",
            "@bob",
            "@alice");
    assertThat(browser.findElements(By.cssSelector("#reply .entry:not(.echo)")).size())
        .as("replies accumulate")
        .isGreaterThanOrEqualTo(3);
    Browser.screenshot(browser, file() + "1-pending");

    // × closes the pane
    browser.findElement(By.id("closeThread")).click();
    assertThat(paneShown()).isFalse();

    // bob rejects with a comment: the card becomes one line saying so
    as("bob");
    browser.findElement(By.cssSelector("#channel button[data-button-id^='obops:reject:']")).click();
    browser.findElement(By.cssSelector(".reject-form input")).sendKeys("not during the sale");
    browser.findElement(By.cssSelector(".reject-form button")).click();
    waitForReply("You rejected");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("channel"), "rejected by web:bob: not during the sale"));

    // alice asks again by id; bob approves; the pane follows bob's approval
    as("alice");
    type("stop 1 second try");
    waitForReply("is posted");
    WebElement approve =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#channel button[data-button-id^='obops:approve:']")));
    approve.click(); // alice may not approve her own request
    waitForReply("you requested");
    browser.findElement(By.id("closeThread")).click();

    as("bob");
    browser
        .findElement(By.cssSelector("#channel button[data-button-id^='obops:approve:']"))
        .click();
    waitForReply("You approved");
    long taskId = Long.parseLong(lastReply().replaceAll("(?s).*task (\\d+) is running.*", "$1"));
    wait.until(d -> paneShown());
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), "Progress of task " + taskId));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), SERVERS + "/" + SERVERS + " observers stopped"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("channel"), "✓ demo STOPPED"));
    WebElement link =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#thread a.file-link[data-file='task-" + taskId + ".json']")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#thread img.graph")));
    Browser.screenshot(browser, file() + "2-stopped");
    WebElement board =
        browser.findElements(By.cssSelector("#thread .msg")).stream()
            .filter(m -> m.getText().contains("Progress of task " + taskId))
            .findFirst()
            .orElseThrow();
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("arguments[0].scrollIntoView(true)", board);
    Browser.screenshot(browser, file() + "2b-board");
    WebElement graph = browser.findElement(By.cssSelector("#thread img.graph"));
    wait.until(d -> (Boolean) js.executeScript("return arguments[0].complete", graph));
    js.executeScript("arguments[0].scrollIntoView(true)", graph);
    Browser.screenshot(browser, file() + "2c-graph");

    // the finished card is one line; the board leads with the headline, no Wait nodes
    String finished =
        browser.findElements(By.cssSelector("#channel .msg[data-request]")).stream()
            .map(WebElement::getText)
            .filter(t -> t.contains("✓ demo STOPPED"))
            .findFirst()
            .orElseThrow();
    assertThat(finished).contains("approved by web:bob").doesNotContain("Who can approve");
    String thread = browser.findElement(By.id("thread")).getText();
    assertThat(thread)
        .contains(
            "SUCCESSFUL",
            SERVERS + "/" + SERVERS + " observers stopped",
            "@alice task " + taskId,
            "Phases:")
        .doesNotContain("Wait node", "[  ]", "0.0s");
    for (ObServer s : sandbox.servers()) {
      assertThat(thread).contains("observer on " + s.ip() + " stopped");
      assertThat(sandbox.isObserverRunning(s)).isFalse();
    }

    // files open in the browser: inline, with their own type
    HttpResponse<String> file =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline");
    assertThat(file.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    JsonNode envelope = json.readTree(file.body());
    assertThat(envelope.get("successful").asBoolean()).isTrue();
    assertThat(envelope.get("data"))
        .isEqualTo(
            json.readTree(
                json.writeValueAsString(
                    TaskView.of(engine.client().find(taskId).orElseThrow(), responses.zone()))));
    assertThat(envelope.get("data").get("status").asString()).isEqualTo("SUCCESSFUL");

    // The way back: alice clicks Start again on the stop's summary, bob approves the start card,
    // and the new thread shows every observer started again over SSH.
    as("alice");
    openLastThread();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("thread"), "SUCCESSFUL"));
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#thread button[data-button-id^='obops:start-again:']")))
        .click();
    waitForReply("to start demo is");
    long startRequest =
        Long.parseLong(lastReply().replaceAll(".*Request #(\\d+) to start.*", "$1"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("channel"), "Start cluster demo?"));

    as("bob");
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector(
                    "#channel button[data-button-id='obops:approve:"
                        + startRequest
                        + "'], #channel button[data-button-id^='obops:approve:"
                        + startRequest
                        + ":']")))
        .click();
    waitForReply("You approved");
    long startTask = Long.parseLong(lastReply().replaceAll(".*task (\\d+) is running.*", "$1"));
    openLastThread();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), "@alice task " + startTask));
    String startThread = browser.findElement(By.id("thread")).getText();
    assertThat(startThread).contains("Start OB cluster", "SUCCESSFUL", "3/3 observers started");
    for (ObServer s : sandbox.servers()) {
      assertThat(startThread).contains("observer on " + s.ip() + " started");
      assertThat(sandbox.isObserverRunning(s)).isTrue();
      assertThat(sandbox.isListening(s, s.mysqlPort())).isTrue();
      assertThat(sandbox.isListening(s, s.rpcPort())).isTrue();
    }

    // 420 px wide: one column, Send inside the window, the thread covers the channel
    browser.manage().window().setSize(new Dimension(420, 820));
    wait.until(d -> browser.findElement(By.id("threadPane")).getRect().getWidth() <= 420);
    Browser.screenshot(browser, file() + "3-narrow-thread");
    browser.findElement(By.id("closeThread")).click();
    Rectangle send = browser.findElement(By.id("send")).getRect();
    long inner = ((Number) js.executeScript("return window.innerWidth")).longValue();
    assertThat(send.getX() + send.getWidth()).isLessThanOrEqualTo((int) inner);
    assertThat(browser.findElement(By.id("command")).getRect().getWidth()).isGreaterThan(150);
    Browser.screenshot(browser, file() + "4-narrow-channel");

    // a command while obops does not answer says so instead of vanishing
    ((JavascriptExecutor) browser)
        .executeScript("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));");
    type("list");
    waitForReply("obops did not answer");
  }
}

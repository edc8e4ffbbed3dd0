package io.obops.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.api.OcpResponses;
import io.obops.api.TaskView;
import io.obops.cluster.ObServer;
import io.obops.sandbox.Sandbox;
import io.obops.task.TaskEngine;
import io.obops.testsupport.PostgresSpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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
 * sandbox with 3 zones × 1 server over real SSH, the engine and the chat ticker running): alice
 * asks to stop cluster 1, bob approves on the card, the thread shows the board going all green, the
 * milestones, and the final JSON envelope and graph picture; then alice clicks Start again on the
 * summary, bob approves the start, and every observer runs again.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // the embedded default's preset reads obops.embedded before @DynamicPropertySource applies
    properties = "obops.embedded=true")
@DirtiesContext
class WebConsoleBrowserTest extends PostgresSpringTest {

  @DynamicPropertySource
  static void embeddedConsoleWithSandbox(DynamicPropertyRegistry registry) throws Exception {
    String sandboxDir = Files.createTempDirectory("obops-browser-sandbox-").toString();
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "3");
    registry.add("obops.sandbox.servers-per-zone", () -> "1");
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
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .withEnvironment(Map.of("HOME", scratch.toString()))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/lib/chromium/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1400,1000",
        "--user-data-dir=" + scratch.resolve("profile"));
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
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

  private String reply() {
    return browser.findElement(By.id("reply")).getText();
  }

  @Test
  void aliceStopsBobApprovesTheThreadGoesGreenAndStartAgainBringsTheClusterBack() throws Exception {
    browser.get("http://127.0.0.1:" + port + "/");
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));

    as("alice");
    browser.findElement(By.id("command")).sendKeys("/obcluster stop 1 reason:browser drill");
    browser.findElement(By.id("send")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reply"), "is posted"));

    WebElement approve =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#channel button[data-button-id^='obops:approve:']")));
    assertThat(browser.findElement(By.id("channel")).getText())
        .contains("Stop cluster demo?", "browser drill", "zone1, zone2, zone3", "@alice");

    approve.click(); // alice may not approve her own request
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reply"), "you requested"));

    as("bob");
    browser
        .findElement(By.cssSelector("#channel button[data-button-id^='obops:approve:']"))
        .click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reply"), "You approved"));
    long taskId = Long.parseLong(reply().replaceAll(".*task (\\d+) is running.*", "$1"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("channel"), "Approved by web:bob"));
    assertThat(
            browser.findElements(By.cssSelector("#channel button[data-button-id]")).stream()
                .allMatch(b -> !b.isEnabled()))
        .isTrue();

    browser.findElement(By.cssSelector("#channel button.open-thread")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), "Progress of task " + taskId));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("thread"), "21/21"));
    WebElement link =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#thread a.file-link[download='task-" + taskId + ".json']")));

    String thread = browser.findElement(By.id("thread")).getText();
    assertThat(thread)
        .contains("[####################]", "SUCCESSFUL", "@alice task " + taskId)
        .doesNotContain("[  ]", "[..]", "[!!]");
    for (ObServer s : sandbox.servers()) {
      assertThat(thread).contains("observer on " + s.ip() + " stopped");
      assertThat(sandbox.isObserverRunning(s)).isFalse();
    }
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#thread img.graph")));

    HttpResponse<String> file =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofString());
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
    browser.findElement(By.cssSelector("#channel button.open-thread")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("thread"), "SUCCESSFUL"));
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#thread button[data-button-id^='obops:start-again:']")))
        .click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("reply"), "to start demo is"));
    long startRequest = Long.parseLong(reply().replaceAll(".*Request #(\\d+) to start.*", "$1"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("channel"), "Start cluster demo?"));

    as("bob");
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector(
                    "#channel button[data-button-id='obops:approve:" + startRequest + "']")))
        .click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reply"), "You approved"));
    long startTask = Long.parseLong(reply().replaceAll(".*task (\\d+) is running.*", "$1"));
    browser
        .findElement(
            By.xpath("(//div[@id='channel']//button[contains(@class,'open-thread')])[last()]"))
        .click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), "Progress of task " + startTask));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("thread"), "@alice task " + startTask));
    String startThread = browser.findElement(By.id("thread")).getText();
    assertThat(startThread).contains("Start OB cluster", "SUCCESSFUL", "3 server(s) running.");
    for (ObServer s : sandbox.servers()) {
      assertThat(startThread).contains("observer on " + s.ip() + " started");
      assertThat(sandbox.isObserverRunning(s)).isTrue();
      assertThat(sandbox.isListening(s, s.mysqlPort())).isTrue();
      assertThat(sandbox.isListening(s, s.rpcPort())).isTrue();
    }
  }
}

package io.obops.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for browser tests, with nothing installed by hand: when {@code chromium}
 * or {@code chromium-driver} is missing and the build runs as root with apt-get, they are installed
 * once (as {@code .ci/run} does); otherwise the test stops with one line naming what to install.
 * See /work/shared/reference/browser-tests.md for the flags.
 */
public final class Browser {

  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
  private static final String INSTALL =
      "the browser test needs Debian's chromium and chromium-driver: run `apt-get install -y"
          + " chromium chromium-driver` as root (or .ci/run)";
  private static boolean tried;

  private Browser() {}

  /** The browser is there, installed now if it can be; fails with one line otherwise. */
  public static synchronized void require() {
    if (present()) {
      return;
    }
    if (!tried && "root".equals(System.getProperty("user.name")) && Files.isExecutable(apt())) {
      tried = true;
      run(List.of("apt-get", "update", "-qq"));
      run(List.of("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"));
    }
    if (!present()) {
      throw new IllegalStateException(INSTALL);
    }
  }

  private static Path apt() {
    return Path.of("/usr/bin/apt-get");
  }

  private static boolean present() {
    return Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
  }

  private static void run(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // the check after this says what to install
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A headless Chromium of the given window size; its profile and HOME live in {@code scratch}. */
  public static WebDriver open(Path scratch, int width, int height) {
    require();
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withEnvironment(Map.of("HOME", scratch.toString()))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
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
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + scratch.resolve("profile"));
    return new ChromeDriver(service, options);
  }

  /** Saves what the browser shows to {@code /tmp/<name>.png} (to be looked at, never compared). */
  public static void screenshot(WebDriver browser, String name) {
    try {
      Files.write(
          Path.of("/tmp", name + ".png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      // a screenshot is for people; the test does not depend on it
    }
  }
}

package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, copied to an empty folder, as a newcomer runs it ({@code java -jar obops.jar}):
 * the embedded default starts with the demo's access file and inventory from the jar, stops
 * promptly with a console event stream open, and a missing configured file stops start-up with one
 * report and nothing created. Run by failsafe after {@code package}.
 */
class JarRunsAnywhereIT {

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("obops-.*\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("run ./mvnw package first"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Process start(Path dir, Path log, String... args) throws IOException {
    Path copy = dir.resolve("obops.jar");
    Files.copy(jar(), copy);
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                copy.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  @Test
  void theJarInAnEmptyFolderStartsTheEmbeddedDefaultAndStopsPromptlyWithABrowserConnected(
      @TempDir Path dir, @TempDir Path logs) throws Exception {
    int port = freePort();
    Path log = logs.resolve("obops.log");
    Process obops = start(dir, log, "--server.port=" + port);
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    try {
      HttpResponse<String> session = null;
      for (int i = 0; i < 600 && obops.isAlive(); i++) {
        try {
          session =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/console/api/session")).build(),
                  HttpResponse.BodyHandlers.ofString());
          break;
        } catch (IOException notYet) {
          Thread.sleep(500);
        }
      }
      assertThat(session).as(Files.readString(log)).isNotNull();
      assertThat(session.body()).contains("web:alice", "web:bob");
      assertThat(dir.resolve("data/config/access-demo.yml")).exists();
      assertThat(dir.resolve("data/config/clusters.yml")).exists();

      // a console tab listening for live updates
      http.sendAsync(
          HttpRequest.newBuilder(URI.create(base + "/console/api/events?user=alice")).build(),
          HttpResponse.BodyHandlers.ofLines());
      Thread.sleep(1000);
    } finally {
      obops.destroy(); // SIGTERM: a graceful shutdown
    }
    // the graceful shutdown would wait 30 s for an open event stream; it is ended at once
    assertThat(obops.waitFor(20, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    assertThat(Files.readString(log)).doesNotContain("Exception", "ERROR");
  }

  @Test
  void aMissingConfiguredFileStopsStartUpWithOneReportAndNothingCreated(
      @TempDir Path dir, @TempDir Path logs) throws Exception {
    Path log = logs.resolve("obops.log");
    Process obops =
        start(dir, log, "--server.port=" + freePort(), "--obops.access.file=nowhere.yml");
    assertThat(obops.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(obops.exitValue()).isNotZero();
    assertThat(out)
        .contains("The access configuration is invalid: nowhere.yml: no such file")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}

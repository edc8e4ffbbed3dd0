package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code .dockerignore} keeps secrets and local state out of the image and lets the build see what
 * it needs. Patterns are read as Docker reads them: each is a path glob from the context's root, a
 * match excludes the path and everything under it, the last matching line wins and {@code !}
 * includes again.
 */
class DockerBuildContextTest {

  private static final List<String> LINES = lines();

  private static List<String> lines() {
    try {
      return Files.readAllLines(Path.of(".dockerignore")).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean excluded(String path) {
    boolean excluded = false;
    for (String line : LINES) {
      boolean include = line.startsWith("!");
      String pattern = include ? line.substring(1) : line;
      pattern = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      PathMatcher anywhere =
          pattern.startsWith("**/")
              ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3))
              : matcher;
      for (Path p = Path.of(path); p != null; p = p.getParent()) {
        if (matcher.matches(p) || anywhere.matches(p)) {
          excluded = !include;
          break;
        }
      }
    }
    return excluded;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "config/api-tokens.yml",
        "data/obops.mv.db",
        "data/sandbox/ssh/id_ecdsa",
        "data/sandbox/ssh/client.keypair",
        "target/obops-0.1.0-SNAPSHOT.jar",
        "target/classes/application.yml",
        ".git/HEAD",
        ".git",
        "obops.log",
        "somewhere/host-127.0.0.1.keypair",
        "ops/id_ed25519",
        ".env"
      })
  void secretsAndLocalStateStayOutOfTheImage(String path) {
    assertThat(excluded(path)).as(path).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mvnw",
        ".mvn/wrapper/maven-wrapper.properties",
        "pom.xml",
        "src/main/java/io/obops/ObopsApplication.java",
        "src/main/resources/application.yml",
        "db/migration/V1__foundation.sql",
        "config/clusters.yml",
        "config/access.yml",
        "config/access-demo.yml",
        "config/api-tokens.example.yml"
      })
  void whatTheBuildNeedsIsInTheContext(String path) {
    assertThat(excluded(path)).as(path).isFalse();
  }

  @Test
  void theImageIsNotTheEmbeddedDefaultAndItsDocumentedTrialStaysOnThisMachine() throws Exception {
    List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
    assertThat(dockerfile)
        .anyMatch(
            l ->
                l.startsWith("ENV ")
                    && l.contains("OBOPS_EMBEDDED=false")
                    && l.contains("OBOPS_SANDBOX_ENABLED=false"));
    String runs = String.join("\n", dockerfile).replace("\\\n#", " ");
    for (String run : runs.split("docker run")) {
      if (run.contains("OBOPS_EMBEDDED=true")) {
        assertThat(run.strip()).as("a documented trial run").startsWith("-p 127.0.0.1:");
      }
    }
  }
}

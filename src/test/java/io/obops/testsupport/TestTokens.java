package io.obops.testsupport;

import io.obops.access.ApiTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * API tokens of the Spring tests: one per principal {@code api:<name>} of {@code access-test.yml}.
 * Tokens are made up per JVM run, and only their hashes go into the configuration.
 */
public final class TestTokens {

  public static final List<String> NAMES =
      List.of(
          "operator",
          "operator2",
          "dana",
          "approver1",
          "approver2",
          "approver3",
          "viewer",
          "staging-only",
          "staging-viewer",
          "stopper",
          "nobody");

  private static final String RUN = Long.toHexString(System.nanoTime());

  /** The test access file as written in the repository. */
  public static final Path ACCESS_TEMPLATE = Path.of("src/test/resources/access-test.yml");

  /**
   * The access file the Spring tests run with: a copy of {@link #ACCESS_TEMPLATE} made once per
   * JVM, which a test may edit (and must restore) to change access at run time.
   */
  public static final Path ACCESS_FILE = copy(ACCESS_TEMPLATE);

  private static Path copy(Path template) {
    try {
      Path copy = Files.createTempFile("obops-access-", ".yml");
      Files.copy(template, copy, StandardCopyOption.REPLACE_EXISTING);
      copy.toFile().deleteOnExit();
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestTokens() {}

  public static String token(String name) {
    return "tok-" + name + "-" + RUN;
  }

  /** Registers every test token's hash and the test access file (its copy). */
  public static void register(DynamicPropertyRegistry registry) {
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      registry.add("obops.api.tokens[" + i + "].name", () -> name);
      registry.add("obops.api.tokens[" + i + "].sha256", () -> ApiTokens.sha256Hex(token(name)));
    }
    registry.add("obops.access.file", ACCESS_FILE::toString);
    registry.add("obops.approval.sweep-interval", () -> "1h");
  }
}

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
 * API credentials of the Spring tests: a bearer token per principal {@code api:<name>} of {@code
 * access-test.yml}, and for {@link #SIGNERS} also an OCP access key (secret in a temporary file)
 * and an HTTP Basic user. Secrets are made up per JVM run; only hashes and file paths go into the
 * configuration.
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

  /** The principals that also have an OCP access key and an HTTP Basic API user. */
  public static final List<String> SIGNERS =
      List.of("operator", "approver1", "viewer", "staging-only");

  private static final Path SECRETS = secrets();

  private static Path secrets() {
    try {
      Path dir = Files.createTempDirectory("obops-ak-");
      dir.toFile().deleteOnExit();
      for (String name : SIGNERS) {
        Path file = dir.resolve(name);
        Files.writeString(file, secret(name) + "\n");
        file.toFile().deleteOnExit();
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The access key id of {@code api:<name>}. */
  public static String accessKeyId(String name) {
    return "AK" + name.toUpperCase(java.util.Locale.ROOT).replace("-", "");
  }

  /** The access key secret of {@code api:<name>} (only the file holding it is configured). */
  public static String secret(String name) {
    return "sk-" + name + "-" + RUN;
  }

  /** The HTTP Basic password of the API user {@code name} (only its hash is configured). */
  public static String password(String name) {
    return "pw-" + name + "-" + RUN;
  }

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
    var bcrypt = new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4);
    for (int i = 0; i < SIGNERS.size(); i++) {
      String name = SIGNERS.get(i);
      String hash = "{bcrypt}" + bcrypt.encode(password(name));
      registry.add("obops.api.users[" + i + "].name", () -> name);
      registry.add("obops.api.users[" + i + "].password-hash", () -> hash);
      registry.add("obops.api.access-keys[" + i + "].id", () -> accessKeyId(name));
      registry.add("obops.api.access-keys[" + i + "].name", () -> name);
      registry.add(
          "obops.api.access-keys[" + i + "].secret-file", () -> SECRETS.resolve(name).toString());
    }
    registry.add("obops.access.file", ACCESS_FILE::toString);
    registry.add("obops.approval.sweep-interval", () -> "1h");
  }
}

package io.obops.testsupport;

import io.obops.access.ApiTokens;
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
          "nobody");

  private static final String RUN = Long.toHexString(System.nanoTime());

  private TestTokens() {}

  public static String token(String name) {
    return "tok-" + name + "-" + RUN;
  }

  /** Registers every test token's hash and the test access file. */
  public static void register(DynamicPropertyRegistry registry) {
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      registry.add("obops.api.tokens[" + i + "].name", () -> name);
      registry.add("obops.api.tokens[" + i + "].sha256", () -> ApiTokens.sha256Hex(token(name)));
    }
    registry.add("obops.access.file", () -> "src/test/resources/access-test.yml");
    registry.add("obops.approval.sweep-interval", () -> "1h");
  }
}

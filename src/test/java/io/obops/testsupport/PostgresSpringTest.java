package io.obops.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of full-application tests: the application's own Flyway run on a fresh PostgreSQL database
 * (one per Spring context), the example inventory, and the task engine left stopped so tests drive
 * it with {@code runUntilIdle()}, the test access file and {@link TestTokens}' API tokens.
 */
public abstract class PostgresSpringTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::user);
    registry.add("spring.datasource.password", db::password);
    registry.add("obops.engine.start", () -> "false");
    registry.add("obops.server-name", () -> "obops-test");
    registry.add("obops.time-zone", () -> "+08:00");
    TestTokens.register(registry);
  }
}

package io.obops.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh PostgreSQL database for a test: Testcontainers where Docker is available, otherwise the
 * server at {@code OBOPS_TEST_DB_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres},
 * user {@code OBOPS_TEST_DB_USER} or postgres, password {@code OBOPS_TEST_DB_PASSWORD} or none).
 *
 * <p>Every call creates its own database named {@code obops_t_<epoch>_<random>}, so two runs on one
 * server never collide; databases are dropped when the JVM exits, and leftovers of crashed runs
 * older than six hours are dropped when the next run starts.
 */
public final class TestDatabase {

  private static final String PREFIX = "obops_t_";
  private static Admin admin;
  private static final List<String> created = new ArrayList<>();

  private TestDatabase() {}

  /** The JDBC coordinates of a fresh, migrated database. */
  public record Coordinates(String url, String user, String password) {}

  /** A fresh database with the Flyway migrations applied. */
  public static synchronized Coordinates create() {
    Coordinates c = createEmpty();
    Flyway.configure()
        .dataSource(c.url(), c.user(), c.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return c;
  }

  /** A fresh database without migrations (for the application's own Flyway run). */
  public static synchronized Coordinates createEmpty() {
    Admin a = admin();
    String name =
        PREFIX
            + (System.currentTimeMillis() / 1000)
            + "_"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    a.execute("create database " + name);
    created.add(name);
    return new Coordinates(a.urlFor(name), a.user(), a.password());
  }

  /** A pooled data source on a fresh, migrated database. */
  public static HikariDataSource dataSource() {
    return dataSource(12);
  }

  /** A pooled data source of this size on a fresh, migrated database. */
  public static HikariDataSource dataSource(int poolSize) {
    Coordinates c = create();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(c.url());
    config.setUsername(c.user());
    config.setPassword(c.password());
    config.setMaximumPoolSize(poolSize);
    return new HikariDataSource(config);
  }

  private static Admin admin() {
    if (admin == null) {
      admin = dockerAvailable() ? Admin.container() : Admin.local();
      admin.dropLeftovers();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated));
    }
    return admin;
  }

  private static synchronized void dropCreated() {
    for (String name : created) {
      try {
        admin.execute("drop database if exists " + name + " with (force)");
      } catch (RuntimeException e) {
        // best effort at JVM exit; the next run drops leftovers
      }
    }
  }

  private static boolean dockerAvailable() {
    boolean hint =
        System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
    if (!hint) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private record Admin(String baseUrl, String user, String password) {

    static Admin local() {
      String url = env("OBOPS_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
      return new Admin(
          url, env("OBOPS_TEST_DB_USER", "postgres"), env("OBOPS_TEST_DB_PASSWORD", ""));
    }

    @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
    static Admin container() {
      PostgreSQLContainer pg = new PostgreSQLContainer("postgres:16-alpine");
      pg.start();
      return new Admin(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
    }

    String urlFor(String database) {
      int slash = baseUrl.lastIndexOf('/');
      int query = baseUrl.indexOf('?', slash);
      return baseUrl.substring(0, slash + 1)
          + database
          + (query < 0 ? "" : baseUrl.substring(query));
    }

    void execute(String sql) {
      try (Connection c = DriverManager.getConnection(baseUrl, user, password);
          var st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "test database at "
                + baseUrl
                + ": "
                + e.getMessage()
                + " (is PostgreSQL running? set OBOPS_TEST_DB_URL to point elsewhere)",
            e);
      }
    }

    void dropLeftovers() {
      long cutoff = System.currentTimeMillis() / 1000 - 6 * 3600;
      var stale = new ArrayList<String>();
      try (Connection c = DriverManager.getConnection(baseUrl, user, password);
          var st = c.createStatement();
          var rs =
              st.executeQuery("select datname from pg_database where datname like 'obops_t_%'")) {
        while (rs.next()) {
          String[] parts = rs.getString(1).split("_");
          if (parts.length == 4 && Long.parseLong(parts[2]) < cutoff) {
            stale.add(rs.getString(1));
          }
        }
      } catch (SQLException | NumberFormatException e) {
        return;
      }
      stale.forEach(name -> execute("drop database if exists " + name + " with (force)"));
    }

    private static String env(String name, String fallback) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? fallback : v;
    }
  }
}

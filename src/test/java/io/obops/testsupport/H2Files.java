package io.obops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** H2 file databases for the embedded default's tests, as application.yml configures them. */
public final class H2Files {

  private H2Files() {}

  /** The embedded default's JDBC URL for a database file under {@code dir}. */
  public static String url(Path dir) {
    return "jdbc:h2:file:"
        + dir.resolve("obops")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  /** The URL of a database in a fresh temporary folder, so tests leave ./data alone. */
  public static String inTemporaryFolder(String prefix) {
    try {
      return url(Files.createTempDirectory(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A URL on its way to a log line keeps everything but its passwords. */
class UrlRedactionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://db:5432/obops?password=S3cret|jdbc:postgresql://db:5432/obops?password=***",
        "jdbc:postgresql://db/obops?user=obops&password=S3cret&ssl=true|jdbc:postgresql://db/obops?user=obops&password=***&ssl=true",
        "jdbc:postgresql://db/obops?ssl=true&PASSWORD=S3cret|jdbc:postgresql://db/obops?ssl=true&PASSWORD=***",
        "jdbc:h2:file:./data/obops;MODE=PostgreSQL;Password=S3cret;USER=sa|jdbc:h2:file:./data/obops;MODE=PostgreSQL;Password=***;USER=sa",
        "jdbc:sqlserver://db;user=sa;password=S3cret|jdbc:sqlserver://db;user=sa;password=***",
        "jdbc:postgresql://db/obops?sslpassword=S3cret&sslmode=verify-full|jdbc:postgresql://db/obops?sslpassword=***&sslmode=verify-full",
        "jdbc:mysql://db/obops?trustCertificateKeyStorePassword=S3cret|jdbc:mysql://db/obops?trustCertificateKeyStorePassword=***",
        "jdbc:mysql://obops:S3cret@db:3306/obops|jdbc:mysql://obops:***@db:3306/obops",
        "jdbc:postgresql://db/obops?password = S3cret|jdbc:postgresql://db/obops?password =***",
        "jdbc:h2:file:./data/obops;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE|jdbc:h2:file:./data/obops;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
        "jdbc:postgresql://db:5432/obops|jdbc:postgresql://db:5432/obops"
      })
  void passwordsAreReplacedAndTheRestIsKept(String url, String logged) {
    assertThat(UrlRedaction.redact(url)).isEqualTo(logged).doesNotContain("S3cret");
  }
}

package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole start-up log of the embedded default (its notice names the database) holds no password
 * that came in the datasource URL, whatever its case or separator.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoDatasourcePasswordInLogsTest {

  @Test
  void theStartUpLogNamesTheDatabaseWithoutThePasswordsInItsUrl(CapturedOutput output) {
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    String url =
        db.url()
            + (db.url().contains("?") ? "&" : "?")
            + "PassWord=Url-S3cret-1&ApplicationName=obops&sslpassword=Url-S3cret-2";

    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(ObopsApplication.class)
            .run(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                "--server.port=0",
                "--obops.embedded=true",
                "--obops.sandbox.enabled=false",
                "--obops.engine.start=false",
                "--obops.chat.tick-interval=0s")) {
      assertThat(output.getAll())
          .contains("EMBEDDED DEFAULT")
          .contains("PassWord=***&ApplicationName=obops&sslpassword=***")
          .doesNotContain("Url-S3cret");
    }
  }
}

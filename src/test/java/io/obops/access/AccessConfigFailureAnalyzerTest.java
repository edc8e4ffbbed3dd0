package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class AccessConfigFailureAnalyzerTest {

  @Test
  void anInvalidAccessFileAtStartUpIsReportedWithItsFileEntryAndField() {
    var cause =
        new AccessConfigException("config/access.yml: bindings[1]: field 'roles' is missing");

    FailureAnalysis analysis =
        new AccessConfigFailureAnalyzer()
            .analyze(new BeanCreationException("accessControl", "failed", cause));

    assertThat(analysis.getDescription())
        .contains("config/access.yml: bindings[1]: field 'roles' is missing");
    assertThat(analysis.getAction()).contains("obops.access.file");
  }

  @Test
  void invalidApiCredentialsAtStartUpAreReportedAsSuchWithTheEntryAndField() {
    var cause =
        new AccessConfigException(
            "obops.api.access-keys[0] (id AK1): field 'secret-env' names the environment variable"
                + " OBOPS_AK_CI, which is not set; set it in obops's environment");

    FailureAnalysis analysis =
        new AccessConfigFailureAnalyzer()
            .analyze(new BeanCreationException("accessKeys", "failed", cause));

    assertThat(analysis.getDescription())
        .startsWith("The REST API credentials are invalid: obops.api.access-keys[0]");
    assertThat(analysis.getAction()).contains("obops.api.*").doesNotContain("obops.access.file");
  }
}

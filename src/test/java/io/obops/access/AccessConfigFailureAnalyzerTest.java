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
}

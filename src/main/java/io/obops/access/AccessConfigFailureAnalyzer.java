package io.obops.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid access file at start-up into a short report instead of a stack of beans. */
class AccessConfigFailureAnalyzer extends AbstractFailureAnalyzer<AccessConfigException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, AccessConfigException cause) {
    return new FailureAnalysis(
        "The access configuration is invalid: " + cause.getMessage(),
        "Fix the file (config/access.yml documents every field), or point obops.access.file at a"
            + " valid one.",
        cause);
  }
}

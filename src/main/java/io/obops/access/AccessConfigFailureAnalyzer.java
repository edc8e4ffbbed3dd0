package io.obops.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid access file, or invalid API credentials ({@code obops.api.*}), at start-up into
 * a short report instead of a stack of beans.
 */
class AccessConfigFailureAnalyzer extends AbstractFailureAnalyzer<AccessConfigException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, AccessConfigException cause) {
    if (cause.getMessage() != null && cause.getMessage().startsWith("obops.api.")) {
      return new FailureAnalysis(
          "The REST API credentials are invalid: " + cause.getMessage(),
          "Fix the obops.api.* settings (config/api-tokens.example.yml documents every field)."
              + " Configure hashes and where secrets are, never a token, password or secret.",
          cause);
    }
    return new FailureAnalysis(
        "The access configuration is invalid: " + cause.getMessage(),
        "Fix the file (config/access.yml documents every field), or point obops.access.file at a"
            + " valid one.",
        cause);
  }
}

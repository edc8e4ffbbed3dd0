package io.obops.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing or invalid inventory at start-up into a short report instead of a stack. */
class InventoryFailureAnalyzer extends AbstractFailureAnalyzer<InventoryException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InventoryException cause) {
    return new FailureAnalysis(
        "The inventory is invalid: " + cause.getMessage(),
        "Fix the file (config/clusters.yml documents every field), or point obops.inventory.file"
            + " at a valid one.",
        cause);
  }
}

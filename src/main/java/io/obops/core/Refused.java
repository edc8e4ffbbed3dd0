package io.obops.core;

import java.util.Objects;

/**
 * Carries a {@link Refusal} out of the core, through transactions (a refusal rolls back what its
 * operation did) to the surface that words it. The message is the refusal's neutral description;
 * there is no stack trace to fill (a refusal is an answer, not a failure).
 */
public final class Refused extends RuntimeException {

  private final transient Refusal refusal;

  public Refused(Refusal refusal) {
    super(Objects.requireNonNull(refusal, "refusal").describe(), null, false, false);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}

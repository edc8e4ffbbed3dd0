package io.obops.approval;

/** Where a request stands. Every state but PENDING is final. */
public enum ApprovalState {
  PENDING,
  APPROVED,
  REJECTED,
  EXPIRED,
  CANCELLED;

  public boolean isFinal() {
    return this != PENDING;
  }
}

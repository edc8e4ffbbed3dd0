package io.obops.approval;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expires overdue PENDING requests (and so ends their tasks and releases their clusters). Safe to
 * run on several replicas at once: each request expires exactly once, under its row lock.
 */
public final class ApprovalExpiry {

  private final ApprovalRepository repo;
  private final RequestCloser closer;
  private final TransactionTemplate tx;
  private final Clock clock;

  ApprovalExpiry(
      ApprovalRepository repo, RequestCloser closer, TransactionTemplate tx, Clock clock) {
    this.repo = repo;
    this.closer = closer;
    this.tx = tx;
    this.clock = clock;
  }

  /** Moves every PENDING request past its expiry to EXPIRED; returns how many this call moved. */
  public int expireDue() {
    int expired = 0;
    for (long id : repo.dueForExpiry(OffsetDateTime.now(clock))) {
      Boolean moved =
          tx.execute(
              s ->
                  repo.lock(id)
                      .filter(r -> r.state() == ApprovalState.PENDING)
                      .map(closer::closeIfExpired)
                      .orElse(false));
      if (Boolean.TRUE.equals(moved)) {
        expired++;
      }
    }
    return expired;
  }
}

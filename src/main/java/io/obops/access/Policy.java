package io.obops.access;

import java.time.Duration;
import java.util.Set;

/**
 * What an action on a cluster takes: how many distinct people must approve, which permissions each
 * approver needs, how long a request may stay pending, and whether the requester must give a
 * reason. When several configured policies match, the strictest value of each field wins.
 */
public record Policy(
    int approvalsRequired,
    Set<Permission> approverPermissions,
    Duration pendingTtl,
    boolean reasonRequired) {

  public static final Policy DEFAULT =
      new Policy(1, Set.of(Permission.APPROVAL_DECIDE), Duration.ofMinutes(15), true);

  public Policy {
    approverPermissions = Set.copyOf(approverPermissions);
  }
}

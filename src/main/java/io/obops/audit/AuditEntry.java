package io.obops.audit;

import io.obops.access.Actor;

/**
 * One thing to record. {@code surface} is {@code discord}, {@code web}, {@code api}, or {@code
 * system} for obops' own work (expiry sweeps, task engine events).
 */
public record AuditEntry(
    String principal,
    String surface,
    String action,
    String outcome,
    Long clusterId,
    Long requestId,
    Long taskId,
    String detail) {

  public static final String SYSTEM = "system";

  public static AuditEntry by(Actor actor, String action, String outcome) {
    return new AuditEntry(
        actor.principal(), actor.surface().wire(), action, outcome, null, null, null, null);
  }

  public static AuditEntry bySystem(String action, String outcome) {
    return new AuditEntry(SYSTEM, SYSTEM, action, outcome, null, null, null, null);
  }

  public AuditEntry cluster(Long id) {
    return new AuditEntry(principal, surface, action, outcome, id, requestId, taskId, detail);
  }

  public AuditEntry request(Long id) {
    return new AuditEntry(principal, surface, action, outcome, clusterId, id, taskId, detail);
  }

  public AuditEntry task(Long id) {
    return new AuditEntry(principal, surface, action, outcome, clusterId, requestId, id, detail);
  }

  public AuditEntry detail(String text) {
    return new AuditEntry(principal, surface, action, outcome, clusterId, requestId, taskId, text);
  }
}

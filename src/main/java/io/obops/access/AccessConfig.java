package io.obops.access;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One loaded, validated access configuration. Immutable; questions are answered from it. */
public record AccessConfig(
    String source,
    Map<String, Set<Permission>> roles,
    Map<String, String> personByPrincipal,
    List<Binding> bindings,
    List<PolicyRule> policies) {

  /** Gives a principal roles, on the clusters the selector picks. */
  public record Binding(String principal, List<String> roles, ClusterSelector clusters) {}

  /** A policy for one action on the clusters the selector picks; null fields leave the default. */
  public record PolicyRule(
      String action,
      ClusterSelector clusters,
      Integer approvals,
      Permission approverPermission,
      Duration pendingTtl,
      Boolean reasonRequired) {}

  public AccessConfig {
    roles = Map.copyOf(roles);
    personByPrincipal = Map.copyOf(personByPrincipal);
    bindings = List.copyOf(bindings);
    policies = List.copyOf(policies);
  }

  /**
   * The permissions the given principals hold on a cluster: the union over every binding of any of
   * them whose selector matches. Empty when nothing is bound (fail closed).
   */
  public Set<Permission> permissions(Set<String> principals, ClusterRef cluster) {
    Set<Permission> granted = EnumSet.noneOf(Permission.class);
    for (Binding b : bindings) {
      if (principals.contains(b.principal()) && b.clusters().matches(cluster)) {
        b.roles().forEach(r -> granted.addAll(roles.get(r)));
      }
    }
    return granted;
  }

  /** The policy for an action on a cluster: the strictest value of each matching rule's fields. */
  public Policy policy(String action, ClusterRef cluster) {
    Integer approvals = null; // 0 is a value: a policy that asks nobody
    Set<Permission> approverPermissions = new HashSet<>();
    Duration ttl = null;
    boolean reasonRequired = false;
    boolean reasonSet = false;
    for (PolicyRule rule : policies) {
      if (!rule.action().equals(action) || !rule.clusters().matches(cluster)) {
        continue;
      }
      if (rule.approvals() != null) {
        approvals = approvals == null ? rule.approvals() : Math.max(approvals, rule.approvals());
      }
      if (rule.approverPermission() != null) {
        approverPermissions.add(rule.approverPermission());
      }
      if (rule.pendingTtl() != null) {
        ttl = ttl == null || rule.pendingTtl().compareTo(ttl) < 0 ? rule.pendingTtl() : ttl;
      }
      if (rule.reasonRequired() != null) {
        reasonRequired |= rule.reasonRequired();
        reasonSet = true;
      }
    }
    Policy d = Policy.DEFAULT;
    return new Policy(
        approvals == null ? d.approvalsRequired() : approvals,
        approverPermissions.isEmpty() ? d.approverPermissions() : approverPermissions,
        ttl == null ? d.pendingTtl() : ttl,
        reasonSet ? reasonRequired : d.reasonRequired());
  }

  /**
   * The person behind a principal: the name under {@code people} that lists it, otherwise the
   * principal itself. Two principals of one person count as one approver and as the requester.
   */
  public String person(String principal) {
    String person = personByPrincipal.get(principal);
    return person == null ? principal : "person:" + person;
  }
}

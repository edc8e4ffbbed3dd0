package io.obops.approval;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who counts, decided at the moment of each decision: the requester and every earlier decider are
 * mapped to people by the access file in force now ({@code people:}), not as they were when they
 * acted. So one human never counts twice and never decides their own request, however their
 * principals are mapped or re-mapped between the request and the decision.
 */
final class TwoPersonRule {

  private final AccessControl access;

  TwoPersonRule(AccessControl access) {
    this.access = access;
  }

  /** The person behind a principal, per the access file in force now. */
  String person(String principal) {
    return access.person(principal);
  }

  /** Whether the actor is, as a person now, the requester of the request. */
  boolean isRequester(Actor actor, ApprovalRepository.Row r) {
    return actor.principal().equals(r.requester())
        || person(actor.principal()).equals(person(r.requester()));
  }

  /**
   * The actor's earlier decision on the request, as a person now (possibly as another principal);
   * an approval of another plan than {@code planHash} is not one.
   */
  Optional<ApprovalRequest.Decision> earlierDecision(
      Actor actor, List<ApprovalRepository.DecisionRow> decisions, String planHash) {
    String me = person(actor.principal());
    return decisions.stream()
        .map(ApprovalRepository.DecisionRow::decision)
        .filter(d -> counts(d, planHash))
        .filter(d -> d.principal().equals(actor.principal()) || person(d.principal()).equals(me))
        .findFirst();
  }

  /**
   * The approvals that count now: distinct people among the approving principals, leaving out the
   * requester's person, and approvals given for another pre-flight plan than {@code planHash}.
   */
  int approvals(
      ApprovalRepository.Row r, List<ApprovalRepository.DecisionRow> decisions, String planHash) {
    String requester = person(r.requester());
    Set<String> people = new HashSet<>();
    for (ApprovalRepository.DecisionRow d : decisions) {
      if (d.decision().verdict() != ApprovalRequest.Verdict.APPROVE
          || !counts(d.decision(), planHash)) {
        continue;
      }
      String p = person(d.decision().principal());
      if (!p.equals(requester) && !d.decision().principal().equals(r.requester())) {
        people.add(p);
      }
    }
    return people.size();
  }

  /**
   * Whether a decision still stands for the plan now in force ({@code planHash}, null without a
   * plan): an approval given for a plan that found something else no longer counts, and its
   * approver may approve again.
   */
  private static boolean counts(ApprovalRequest.Decision d, String planHash) {
    return d.verdict() != ApprovalRequest.Verdict.APPROVE
        || planHash == null
        || d.planHash() == null
        || d.planHash().equals(planHash);
  }

  /**
   * Whether the requester still holds {@code permission} on the cluster under the access file in
   * force now, with the role principals they acted with (a surface vouches for roles only at the
   * moment of an interaction, so those are the ones known).
   */
  boolean requesterMayStill(ApprovalRepository.Row r, Permission permission, ClusterRef cluster) {
    Actor requester = new Actor(r.requester(), r.requesterRoles(), r.requesterSurface());
    return access.has(requester, permission, cluster);
  }

  /** The permissions an approver of this request needs, as stored with it. */
  static Set<Permission> approverPermissions(ApprovalRepository.Row r) {
    Set<Permission> needed = new HashSet<>();
    for (String p : r.approverPermissions()) {
      needed.add(Permission.fromWire(p).orElseThrow());
    }
    return needed;
  }
}

/**
 * The two-person rule: nobody runs a destructive action on a cluster alone.
 *
 * <p>Approval knows what it approves only through {@link io.obops.approval.ApprovableAction}
 * ({@code obcluster} implements it for "Stop OB cluster"; every {@code ApprovableAction} bean is
 * registered): its name and the permission to request it, {@code prepare} (check the cluster,
 * create the action's task gated, hold the cluster, record the snapshot of servers it will act on),
 * {@code changesSinceApproval}, {@code inspect} / {@code plan} (the pre-flight plan, made after the
 * request commits and on each refresh, outside any transaction), and {@code approved} / {@code
 * refused}. A new action adds an implementation, no branch here.
 *
 * <p>An approval is bound to the pre-flight plan in force: its hash is recorded with the decision;
 * approving a plan older than {@link io.obops.approval.ApprovalProperties#planMaxAge()} is refused
 * ({@link io.obops.core.Refusal.PlanOutdated}), so is approving as shown a plan that is no longer
 * in force ({@link io.obops.core.Refusal.PlanChanged}); an approval given for a plan that has since
 * changed no longer counts, and its approver may approve the new one.
 *
 * <p>The parts, one job each, assembled by {@code ApprovalConfiguration}: {@link
 * io.obops.approval.ApprovalRequests} makes a request with its gated task in one transaction (the
 * held cluster keeps a second request out, refused with a pointer to the pending one) and reads
 * requests; {@link io.obops.approval.ApprovalDecisions} approves, rejects and cancels under the
 * request's row lock; {@code RequestCloser} is the one routine that closes a request (conditional
 * UPDATE, then the action's gate opened or refused, then the audit); {@code TwoPersonRule} resolves
 * people from the access file in force at each decision, for the requester and every earlier
 * approver, so one human never counts twice nor decides their own request; {@link
 * io.obops.approval.ApprovalExpiry} expires overdue requests. State moves PENDING → APPROVED |
 * REJECTED | EXPIRED | CANCELLED and a final state never changes.
 *
 * <p>A request that can no longer be approved (expired, its cluster described differently than the
 * approvers were shown, its requester no longer allowed to ask) is closed in a transaction of its
 * own before a decision, so a refusal never needs to carry a change out of a rolled-back
 * transaction. Refusals are typed ({@link io.obops.core.Refusal}); the operations layer calls this
 * package after resolving the cluster and checking that the actor may view it.
 */
package io.obops.approval;

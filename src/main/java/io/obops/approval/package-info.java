/**
 * The two-person rule: nobody stops a cluster alone.
 *
 * <p>{@link io.obops.approval.ApprovalService#request} persists an approval request bound to a hash
 * of the exact parameters (the cluster, its zones and servers as of the request); other people
 * approve or reject it, the requester may cancel it, and it expires after the policy's TTL. State
 * moves PENDING → APPROVED | REJECTED | EXPIRED | CANCELLED through conditional UPDATEs on a locked
 * row, so concurrent clicks decide exactly once and a final state never changes. When the last
 * required approval arrives, the stop task is created in the same transaction as the move to
 * APPROVED, and the engine is woken after commit.
 *
 * <p>A request whose cluster changed in the inventory (zones, servers, hosts, ports) is not
 * approvable: the attempt moves it to CANCELLED with {@code closeReason=INVENTORY_CHANGED} and the
 * stop must be requested again. The chat layer and the REST API call the same service methods with
 * an {@link io.obops.access.Actor}; permissions are checked at every call against the actor's
 * current roles.
 */
package io.obops.approval;

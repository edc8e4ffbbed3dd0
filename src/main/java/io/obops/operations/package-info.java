/**
 * The operations layer: every action and every read of every surface (REST, Discord, the web
 * console) is a method here, taking an {@link io.obops.access.Actor} and typed ids ({@code
 * io.obops.core}). Each resolves the cluster first, decides there, audits, and acts: {@link
 * io.obops.operations.ClusterOperations} (list with OCP's filters, view, a cluster by id or name,
 * the observers of a zone), {@link io.obops.operations.TaskOperations} (view, log, retry, subtask
 * retry / skip / cancel), {@link io.obops.operations.ApprovalOperations} (request an action, list,
 * view, approve, reject, cancel), {@link io.obops.operations.AuditOperations} (query, export),
 * {@link io.obops.operations.AuthenticationOperations} (refused API sign-ins audited, a signed
 * state-changing request accepted once across replicas).
 *
 * <p>Rules, in one place ({@code Guard}): a cluster the actor may not view ({@code cluster.view})
 * and everything on it (tasks, requests) is refused exactly like one that does not exist; one it
 * may view but not act on is refused as not permitted; a task without a cluster is nobody's (fail
 * closed). Refusals are {@link io.obops.core.Refused} with a typed {@link io.obops.core.Refusal},
 * audited uniformly (principal, surface, cluster, request, task, outcome REFUSED, the refusal's
 * code); successes are audited in the transaction of their change. Nothing here knows HTTP or chat;
 * surfaces translate their input into these calls and word the refusals themselves.
 */
package io.obops.operations;

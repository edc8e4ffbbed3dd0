/**
 * The task engine: OCP's task model (task and subtask instances, statuses, operations, context,
 * logs) persisted in a relational database, run by any number of engine instances sharing it.
 *
 * <p>Plain Java on JDBC: no Spring, web, chat or SSH imports (enforced by ArchitectureTest).
 * Templates are built in code ({@link io.obops.task.TaskTemplate}: split keys fan a node out per
 * context list element, Wait nodes join stages). Handlers come in through {@link
 * io.obops.task.SubtaskHandler}; events go out through {@link io.obops.task.TaskEventListener}.
 * Instances claim READY subtasks with {@code FOR UPDATE SKIP LOCKED}, heartbeat what they hold and
 * re-queue what a dead instance held (so handlers are idempotent). Time comes from an injected
 * {@link java.time.Clock}; tests drive the engine with {@code runUntilIdle()} and {@code
 * runHousekeeping()}. Given a transaction-aware data source, {@code submit} joins the caller's
 * transaction.
 *
 * <p>Gated tasks ({@link io.obops.task.TaskGate}): {@code submitGated} creates a task that shows
 * RUNNING with every subtask PENDING while its root subtasks hold one extra pending upstream, the
 * gate; {@code openGate} takes it off (the roots become READY), {@code refuseGate} ends the task
 * FAILED with the reason in its first subtask's log. A held or refused task refuses retry and
 * subtask retry or skip. The approval flow creates its tasks gated and opens or refuses the gate.
 */
package io.obops.task;

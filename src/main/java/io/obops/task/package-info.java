/**
 * The task engine: OCP's task model (task and subtask instances, statuses, operations, context,
 * logs) persisted in a relational database, run by any number of engine instances sharing it.
 *
 * <p>Plain Java on JDBC: no Spring, web, chat or SSH imports (enforced by ArchitectureTest).
 * Templates are built in code ({@link io.obops.task.TaskTemplate}: split keys fan a node out per
 * context list element, Wait nodes join stages). Handlers come in through {@link
 * io.obops.task.SubtaskHandler}; events go out through {@link io.obops.task.TaskEventListener}.
 *
 * <p>Split by role, after db-scheduler. Callers use {@link io.obops.task.TaskClient} (submit, find,
 * log, milestones, versions, retry, skip, cancel, wake up). {@link io.obops.task.TaskEngine}
 * assembles the runtime: the {@code Poller} claims READY subtasks while {@code Workers} are free,
 * each worker runs its subtask and claims the next itself (the one worker loop, also behind {@code
 * runUntilIdle()}), and a committed success wakes the poller so the rest of what it made READY
 * starts on the free workers at once; the {@code Housekeeper} heartbeats, interrupts cancelled and
 * timed-out executions and re-queues what a dead instance held. The store is {@code
 * TaskRepository}, {@code TaskOperations}, {@code ExecutionRepository} and {@code
 * LivenessRepository}: SQL plus lambdas over {@code Jdbc}. Instances claim with {@code FOR UPDATE
 * SKIP LOCKED} (handlers may run twice after a crash, so they are idempotent).
 *
 * <p>Progress is stored state, so any instance can report any task: each copy of a split node
 * stores its {@link io.obops.task.SubtaskTarget}, handlers record typed {@link
 * io.obops.task.Milestone}s, and a task's {@code version} moves with every change a reader cares
 * about ({@link io.obops.task.TaskClient#versions}).
 *
 * <p>Time comes from an injected {@link java.time.Clock}: the database's in production ({@link
 * io.obops.task.DatabaseClock}), settable in tests, which drive the engine with {@code
 * runUntilIdle()} and {@code runHousekeeping()}. An instance is a stable name plus an incarnation
 * ({@code InstanceRegistry}); a restart takes back the earlier incarnation's subtasks at once.
 * Given a transaction-aware data source, {@code submit} joins the caller's transaction.
 *
 * <p>Gated tasks ({@link io.obops.task.TaskGate}): {@code submitGated} creates a task that shows
 * RUNNING with every subtask PENDING while its root subtasks hold one extra pending upstream, the
 * gate; {@code openGate} takes it off (the roots become READY), {@code refuseGate} ends the task
 * FAILED with the reason in its first subtask's log. A held or refused task refuses retry and
 * subtask retry or skip. The approval flow creates its tasks gated and opens or refuses the gate.
 */
package io.obops.task;

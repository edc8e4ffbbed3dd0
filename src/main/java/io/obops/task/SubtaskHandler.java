package io.obops.task;

/**
 * What a subtask does (the handler SPI). A template node names its handler by key; the engine is
 * given the handlers it may run.
 *
 * <p>Contract: called on an engine worker thread. Return normally for success; throw to fail the
 * subtask — the exception's message becomes the subtask's error, so make it say what happened, to
 * what, and what to do. A cancel interrupts the thread. A handler may run twice for the same
 * subtask (its worker died after doing the work, then the subtask was re-queued): it must be
 * idempotent.
 */
@FunctionalInterface
public interface SubtaskHandler {

  void execute(SubtaskExecution execution) throws Exception;
}

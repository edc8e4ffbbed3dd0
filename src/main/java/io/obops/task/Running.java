package io.obops.task;

/**
 * One execution this instance holds: the claimed subtask, when it was claimed (clock millis), the
 * worker thread running it, and whether someone asked to cancel it or it ran past its timeout.
 * Written by the worker and the housekeeper; the flags are volatile for that reason.
 */
final class Running {

  final ExecutionRepository.Claimed claimed;
  final long claimedAt;
  volatile Thread thread;
  volatile boolean cancelled;
  volatile boolean timedOut;

  Running(ExecutionRepository.Claimed claimed, long claimedAt) {
    this.claimed = claimed;
    this.claimedAt = claimedAt;
  }

  SubtaskInstance subtask() {
    return claimed.subtask();
  }

  /** Marks the execution cancelled or timed out and interrupts its thread. */
  void interrupt(boolean cancel) {
    if (cancel) {
      cancelled = true;
    } else {
      timedOut = true;
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}

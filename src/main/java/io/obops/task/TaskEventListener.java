package io.obops.task;

/**
 * Receives {@link TaskEvent}s. Called synchronously on engine threads: return quickly (hand slow
 * work to your own executor). An exception is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TaskEventListener {

  void onEvent(TaskEvent event);
}

package io.obops.task;

/** OCP's {@code WaitNode}: a join point that does nothing. Registered by every engine. */
final class WaitHandler implements SubtaskHandler {

  static final String KEY = "wait";

  @Override
  public void execute(SubtaskExecution execution) {}
}

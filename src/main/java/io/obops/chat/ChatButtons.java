package io.obops.chat;

import io.obops.access.Actor;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalState;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.SubtaskId;
import io.obops.core.TaskId;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.TaskOperations;
import io.obops.task.SubtaskInstance;
import java.util.function.Function;

/**
 * Clicks on the buttons the core posted, by their {@link ComponentId}: Approve / Reject / Cancel on
 * a card, Retry / Skip on a failure. Each click is the operations-layer call a command would make,
 * checked on the server; a click that decided (or found closed) a request refreshes its card.
 */
final class ChatButtons {

  private final ApprovalOperations approvals;
  private final TaskOperations tasks;
  private final ApprovalCards cards;
  private final ConversationStore store;
  private final ProgressReporter progress;
  private final ChatRefusals refusals;
  private final StartAgain startAgain;

  ChatButtons(
      ApprovalOperations approvals,
      TaskOperations tasks,
      ApprovalCards cards,
      ConversationStore store,
      ProgressReporter progress,
      ChatRefusals refusals) {
    this.approvals = approvals;
    this.tasks = tasks;
    this.cards = cards;
    this.store = store;
    this.progress = progress;
    this.refusals = refusals;
    this.startAgain = new StartAgain(approvals, cards, store);
  }

  ChatReply click(ChatPlatform platform, ChatUser user, String buttonId, String comment) {
    Actor actor = user.actor(platform.surface());
    ComponentId id = ComponentId.decode(buttonId).orElse(null);
    if (id == null) {
      return ChatReply.ephemeral(MALFORMED);
    }
    RequestId request = new RequestId(id.request());
    switch (id.action()) {
      case APPROVE:
        // the plan hash shown on the card, if it showed one
        String shownPlan = id.plan();
        return decided(
            request,
            r -> approvals.approve(actor, r, shownPlan),
            r ->
                r.state() == ApprovalState.APPROVED
                    ? "You approved #" + r.id() + "; task " + r.taskId() + " is running."
                    : "Your approval of #"
                        + r.id()
                        + " counts: "
                        + r.approvals()
                        + " of "
                        + r.approvalsRequired()
                        + ".");
      case REFRESH:
        return decided(
            request,
            r -> {
              ApprovalRequest refreshed = approvals.refreshPlan(actor, r);
              cards.showPlan(r.value());
              return refreshed;
            },
            r ->
                r.plan() == null
                    ? "Request #" + r.id() + " has no pre-flight plan to refresh."
                    : "Inspected again: plan v"
                        + r.plan().version()
                        + " — "
                        + r.plan().summary()
                        + ". The card shows it now.");
      case REJECT:
        String why = comment == null || comment.isBlank() ? null : comment.strip();
        return decided(
            request,
            r -> approvals.reject(actor, r, why),
            r -> "You rejected #" + r.id() + (why == null ? "." : ": " + why));
      case CANCEL:
        return decided(
            request, r -> approvals.cancel(actor, r), r -> "You cancelled #" + r.id() + ".");
      case RETRY:
        return subtask(id, (t, s) -> tasks.retrySubtask(actor, t, s), "Retrying ");
      case SKIP:
        return subtask(id, (t, s) -> tasks.skipSubtask(actor, t, s), "Skipped ");
      case START_AGAIN:
        return startAgain.click(platform, user, actor, id);
      default:
        return ChatReply.ephemeral(MALFORMED);
    }
  }

  private static final String MALFORMED =
      "This button is not one of obops' (or is from an older version); /obcluster task <task id>"
          + " shows a task's steps.";

  private ChatReply decided(
      RequestId request,
      Function<RequestId, ApprovalRequest> decision,
      Function<ApprovalRequest, String> reply) {
    try {
      ApprovalRequest r = decision.apply(request);
      cards.refresh(request.value());
      return ChatReply.ephemeral(reply.apply(r));
    } catch (Refused e) {
      cards.refresh(
          request.value()); // a request closed meanwhile (expired, decided) updates its card
      return ChatReply.ephemeral(refusals.sentence(e.refusal()));
    }
  }

  private interface SubtaskCall {
    SubtaskInstance run(TaskId task, SubtaskId subtask);
  }

  private ChatReply subtask(ComponentId id, SubtaskCall call, String done) {
    TaskId task = new TaskId(id.task());
    SubtaskId subtask = new SubtaskId(id.subtask());
    SubtaskInstance s = call.run(task, subtask);
    store.byTask(task.value()).ifPresent(c -> progress.reopen(c.requestId()));
    return ChatReply.ephemeral(done + s.name() + " (step " + subtask + ").");
  }
}

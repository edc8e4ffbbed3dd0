package io.obops.chat;

import io.obops.access.Actor;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalState;
import io.obops.core.Ids;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.SubtaskId;
import io.obops.core.TaskId;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.TaskOperations;
import io.obops.task.SubtaskInstance;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Clicks on the buttons the core posted, by their ids ({@code obops:<verb>:<ids>}, ids in the one
 * spelling of the id codec): Approve / Reject / Cancel on a card, Retry / Skip on a failure, Start
 * again on a stop's summary ({@link StartAgain}). Each click is the operations-layer call a command
 * would make, checked on the server; a click that decided (or found closed) a request refreshes its
 * card.
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

  ChatReply click(ChatPlatform platform, ChatUser user, String buttonId) {
    Actor actor = user.actor(platform.surface());
    String id = buttonId == null ? "" : buttonId;
    String[] parts = id.split(":", -1);
    if (parts.length < 3 || !parts[0].equals("obops")) {
      return ChatReply.ephemeral(MALFORMED);
    }
    switch (parts[1]) {
      case "approve":
        // obops:approve:<request>[:<plan hash shown on the card>]
        String shownPlan = parts.length == 4 ? parts[3] : null;
        return decided(
            parts.length == 4 ? Arrays.copyOf(parts, 3) : parts,
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
      case "refresh":
        return decided(
            parts,
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
      case "reject":
        return decided(
            parts, r -> approvals.reject(actor, r, null), r -> "You rejected #" + r.id() + ".");
      case "cancel":
        return decided(
            parts, r -> approvals.cancel(actor, r), r -> "You cancelled #" + r.id() + ".");
      case "retry":
        return subtask(parts, (t, s) -> tasks.retrySubtask(actor, t, s), "Retrying ");
      case "skip":
        return subtask(parts, (t, s) -> tasks.skipSubtask(actor, t, s), "Skipped ");
      case "start-again":
        ChatReply started = startAgain.click(platform, user, actor, parts);
        return started == null ? ChatReply.ephemeral(MALFORMED) : started;
      default:
        return ChatReply.ephemeral(MALFORMED);
    }
  }

  private static final String MALFORMED =
      "This button is not one of obops' (or is from an older version); /obcluster task <task id>"
          + " shows a task's steps.";

  private ChatReply decided(
      String[] parts,
      Function<RequestId, ApprovalRequest> decision,
      Function<ApprovalRequest, String> reply) {
    if (parts.length != 3 || !Ids.isId(parts[2])) {
      return ChatReply.ephemeral(MALFORMED);
    }
    RequestId request = new RequestId(Long.parseLong(parts[2]));
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

  private ChatReply subtask(String[] parts, SubtaskCall call, String done) {
    if (parts.length != 4 || !Ids.isId(parts[2]) || !Ids.isId(parts[3])) {
      return ChatReply.ephemeral(MALFORMED);
    }
    TaskId task = new TaskId(Long.parseLong(parts[2]));
    SubtaskId subtask = new SubtaskId(Long.parseLong(parts[3]));
    SubtaskInstance s = call.run(task, subtask);
    store.byTask(task.value()).ifPresent(c -> progress.reopen(c.requestId(), task.value()));
    return ChatReply.ephemeral(done + s.name() + " (step " + subtask + ").");
  }
}

package io.obops.chat;

import io.obops.access.Actor;
import io.obops.core.ClusterId;
import io.obops.obcluster.StartClusterService;
import io.obops.obcluster.StopClusterTemplate;
import io.obops.operations.ApprovalOperations;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import java.util.Optional;

/**
 * The "Start again" button on a successful stop's summary ({@code obops:start-again:<cluster>:<stop
 * task>}): a click asks for "Start OB cluster" on that cluster, through the operations layer like
 * {@code /obcluster start}, so the clicker needs the start permission and the start's policy
 * (approvals) applies. The card is posted in the channel of the stop's conversation.
 */
final class StartAgain {

  private final ApprovalOperations approvals;
  private final ApprovalCards cards;
  private final ConversationStore store;

  StartAgain(ApprovalOperations approvals, ApprovalCards cards, ConversationStore store) {
    this.approvals = approvals;
    this.cards = cards;
    this.store = store;
  }

  /** The button for a task's summary: only a stop that succeeded offers it. */
  static Optional<Button> button(TaskInstance task) {
    if (!StopClusterTemplate.NAME.equals(task.name())
        || task.status() != TaskStatus.SUCCESSFUL
        || task.target() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Button(
            ComponentId.startAgain(task.target().id(), task.id()).encode(),
            "Start again",
            Button.Style.SUCCESS,
            false));
  }

  /** A click on {@link ComponentId.Action#START_AGAIN}: the cluster and the stop task. */
  ChatReply click(ChatPlatform platform, ChatUser user, Actor actor, ComponentId id) {
    ClusterId cluster = new ClusterId(id.first());
    long stopTask = id.second();
    Optional<ChannelRef> channel =
        store
            .byTask(stopTask)
            .filter(c -> c.surface() == platform.surface())
            .map(ConversationStore.Conversation::channel);
    if (channel.isEmpty()) {
      return ChatReply.ephemeral(
          "This stop's conversation is gone; ask with /obcluster start "
              + cluster
              + " reason:<why>.");
    }
    ApprovalOperations.Requested r =
        approvals.request(
            actor,
            cluster,
            StartClusterService.ACTION,
            "start again after stop task " + stopTask + " (Start again on its summary)",
            made -> cards.record(platform.surface(), channel.get(), user, made));
    cards.showPlan(r.request().id());
    return ChatReply.ephemeral(
        "Request #"
            + r.request().id()
            + " to start "
            + r.request().cluster().name()
            + " is posted (task "
            + r.task().id()
            + (r.request().state() == io.obops.approval.ApprovalState.APPROVED
                ? " runs now: its policy needs no approval)."
                : " runs once approved); it needs "
                    + r.request().approvalsRequired()
                    + " approval(s) by someone else."));
  }
}

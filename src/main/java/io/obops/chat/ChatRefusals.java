package io.obops.chat;

import io.obops.access.Permission;
import io.obops.approval.ApprovableAction;
import io.obops.core.Refusal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * The chat's words for the core's refusals: one sentence that says what happened and names the chat
 * command (or the card's button) to use next, with times as "… (in 14 min)". Never a REST path or a
 * permission id: a person in chat does not know {@code approval.decide}.
 */
final class ChatRefusals implements Refusal.Words<String> {

  private static final String STOP_AGAIN = "/obcluster stop <cluster> reason:<why>";

  private final Rendering rendering;
  private final Clock clock;

  ChatRefusals(Rendering rendering, Clock clock) {
    this.rendering = rendering;
    this.clock = clock;
  }

  String sentence(Refusal r) {
    return r.accept(this);
  }

  private String when(OffsetDateTime t) {
    return rendering.time(t, OffsetDateTime.now(clock));
  }

  /** What a missing permission would let the person do, in words. */
  private static String may(Permission p) {
    return switch (p) {
      case CLUSTER_VIEW -> "see";
      case CLUSTER_STOP -> "stop";
      case CLUSTER_START -> "start";
      case TASK_MANAGE -> "retry, skip or cancel the steps of tasks on";
      case APPROVAL_DECIDE -> "approve or reject requests on";
    };
  }

  /** The command that fixes input in {@code field}. */
  private static String usage(String field) {
    return switch (field) {
      case "task id" -> "/obcluster task <task id> (digits, e.g. /obcluster task 1000)";
      case "reason", "comment" -> STOP_AGAIN;
      default -> "/obcluster status <cluster id or name>; /obcluster list shows the clusters";
    };
  }

  private static String what(String field) {
    return switch (field) {
      case "reason" -> "Your reason";
      case "comment" -> "Your comment";
      default -> "The " + field;
    };
  }

  @Override
  public String malformed(Refusal.Malformed r) {
    return "'"
        + r.value()
        + "' is not "
        + (r.expected() == Refusal.Expected.CLUSTER ? "a cluster id or name" : "a " + r.field())
        + ": use "
        + r.expected().words()
        + ". Try "
        + usage(r.field())
        + ".";
  }

  @Override
  public String outOfRange(Refusal.OutOfRange r) {
    return "The " + r.field() + " must be from " + r.min() + " to " + r.max() + ".";
  }

  @Override
  public String unknownValue(Refusal.UnknownValue r) {
    return "'"
        + r.value()
        + "' is not a known "
        + r.field()
        + "; use one of "
        + String.join(", ", r.allowed())
        + ".";
  }

  @Override
  public String forbiddenCharacter(Refusal.ForbiddenCharacter r) {
    return what(r.field())
        + " contains an invisible or control character ("
        + String.format(Locale.ROOT, "U+%04X", r.codePoint())
        + ", character "
        + (r.position() + 1)
        + "); write plain text (new lines are fine) and run "
        + usage(r.field())
        + " again.";
  }

  @Override
  public String tooLong(Refusal.TooLong r) {
    return what(r.field())
        + " has "
        + r.length()
        + " characters; keep it to "
        + r.max()
        + " and run "
        + usage(r.field())
        + " again.";
  }

  @Override
  public String reasonRequired(Refusal.ReasonRequired r) {
    String verb = ApprovableAction.verb(r.action());
    return "Say why you "
        + verb
        + " cluster "
        + r.cluster().name()
        + ": /obcluster "
        + verb
        + " "
        + r.cluster().name()
        + " reason:<why, e.g. disk replacement on zone1>";
  }

  @Override
  public String clusterNotFound(Refusal.ClusterNotFound r) {
    return "Cluster "
        + r.cluster()
        + " does not exist, or is not one you may see; /obcluster list shows the clusters you"
        + " can.";
  }

  @Override
  public String taskNotFound(Refusal.TaskNotFound r) {
    return "Task "
        + r.task()
        + " does not exist, or is not one you may see; a stop's approval card names its task.";
  }

  @Override
  public String subtaskNotFound(Refusal.SubtaskNotFound r) {
    return "Task "
        + r.task()
        + " has no step "
        + r.subtask()
        + "; /obcluster task "
        + r.task()
        + " shows its steps.";
  }

  @Override
  public String requestNotFound(Refusal.RequestNotFound r) {
    return "Request #" + r.request() + " does not exist, or is not one you may see.";
  }

  @Override
  public String notPermitted(Refusal.NotPermitted r) {
    Permission first = r.missing().stream().sorted().findFirst().orElse(Permission.CLUSTER_VIEW);
    return "You may not "
        + may(first)
        + " cluster "
        + r.cluster().name()
        + ": none of your roles allows it. Ask an obops administrator for a role that does.";
  }

  @Override
  public String ownRequest(Refusal.OwnRequest r) {
    return "Not yours to decide: you requested #"
        + r.request()
        + ", so you can't "
        + r.verb()
        + " it; someone else must."
        + (r.verb().equals("reject") ? " You can withdraw it with the card's Cancel button." : "");
  }

  @Override
  public String notRequester(Refusal.NotRequester r) {
    return "Only the requester ("
        + r.requester()
        + ") can cancel request #"
        + r.request()
        + "; approvers use Approve or Reject on the card.";
  }

  @Override
  public String alreadyDecided(Refusal.AlreadyDecided r) {
    return "You already decided request #"
        + r.request()
        + " ("
        + r.verdict().toLowerCase(Locale.ROOT)
        + " at "
        + when(r.at())
        + ", as "
        + r.principal()
        + "); a person counts once, so someone else must approve.";
  }

  @Override
  public String requestClosed(Refusal.RequestClosed r) {
    boolean approved = r.state().equals("APPROVED");
    return "Request #"
        + r.request()
        + " is already "
        + r.state()
        + (r.detail() == null ? "" : " (" + r.detail() + ")")
        + "; a decided request never changes."
        + (approved && r.task() != null
            ? " /obcluster task " + r.task() + " shows its task."
            : approved
                ? ""
                : " To "
                    + ApprovableAction.verb(r.action())
                    + " the cluster, ask again: "
                    + STOP_AGAIN.replace("stop", ApprovableAction.verb(r.action()))
                    + ".");
  }

  @Override
  public String alreadyPending(Refusal.AlreadyPending r) {
    return "Cluster "
        + r.cluster().name()
        + " already has a pending "
        + ApprovableAction.verb(r.action())
        + " request #"
        + r.request()
        + " by "
        + r.requester()
        + ", open until "
        + when(r.until())
        + ". Approve or reject it on its card, or ask its requester to cancel it.";
  }

  @Override
  public String clusterBusy(Refusal.ClusterBusy r) {
    return "Cluster "
        + r.cluster().name()
        + " is busy"
        + (r.holder() == null
            ? "; try again in a moment."
            : " with task "
                + r.holder()
                + "; follow it with /obcluster task "
                + r.holder()
                + " (retry or skip its failed steps there).");
  }

  @Override
  public String clusterNotReady(Refusal.ClusterNotReady r) {
    return "Cluster "
        + r.cluster().name()
        + " is "
        + r.status()
        + "; a "
        + ApprovableAction.verb(r.action())
        + " needs it "
        + r.required()
        + ". /obcluster status "
        + r.cluster().name()
        + " shows it.";
  }

  @Override
  public String taskConflict(Refusal.TaskConflict r) {
    return Character.toUpperCase(r.detail().charAt(0))
        + r.detail().substring(1)
        + ". /obcluster task "
        + r.task()
        + " shows the task.";
  }

  @Override
  public String awaitingApproval(Refusal.AwaitingApproval r) {
    return "Task "
        + r.task()
        + " waits for its approval"
        + (r.request() == null ? "" : " (request #" + r.request() + ")")
        + "; nothing of it has run yet. Approve or reject it on its card.";
  }

  @Override
  public String neverRuns(Refusal.NeverRuns r) {
    return "Task "
        + r.task()
        + " never runs: its request"
        + (r.request() == null ? "" : " #" + r.request())
        + " is "
        + r.state()
        + ". Ask again with "
        + STOP_AGAIN
        + ".";
  }

  @Override
  public String planOutdated(Refusal.PlanOutdated r) {
    return "The pre-flight plan of request #"
        + r.request()
        + " was inspected at "
        + when(r.inspectedAt())
        + "; an approval needs a plan at most "
        + minutes(r.maxAge())
        + " old, since the servers may have changed. Press Refresh on the card to inspect them"
        + " again, read the new plan, then approve.";
  }

  @Override
  public String planChanged(Refusal.PlanChanged r) {
    return "The pre-flight plan of request #"
        + r.request()
        + " changed since this card showed it (plan "
        + r.shown()
        + " shown, now version "
        + r.version()
        + "). Read the card again (press Refresh if it did not update), then approve.";
  }

  private static String minutes(java.time.Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  @Override
  public String serversChanged(Refusal.ServersChanged r) {
    return "Task "
        + r.task()
        + " was approved for servers that changed since ("
        + String.join("; ", r.changes())
        + "); running it again would act on what nobody approved. Ask again with "
        + STOP_AGAIN
        + ".";
  }
}

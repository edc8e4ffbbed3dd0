package io.obops.api;

import io.obops.approval.ApprovableAction;
import io.obops.core.Refusal;
import io.obops.ocp.OcpTime;
import java.time.ZoneId;
import org.springframework.http.HttpStatus;

/**
 * The REST API's words for the core's refusals: an HTTP status by the refusal's kind (400, 422,
 * 404, 403, 409) and a message that says what happened and what to do, naming REST paths.
 */
final class RestRefusals implements Refusal.Words<String> {

  private final ZoneId zone;

  RestRefusals(ZoneId zone) {
    this.zone = zone;
  }

  static HttpStatus status(Refusal r) {
    return switch (r.kind()) {
      case BAD_INPUT -> HttpStatus.BAD_REQUEST;
      case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case FORBIDDEN -> HttpStatus.FORBIDDEN;
      case CONFLICT -> HttpStatus.CONFLICT;
    };
  }

  String message(Refusal refusal) {
    return refusal.accept(this);
  }

  @Override
  public String malformed(Refusal.Malformed r) {
    return r.describe()
        + (r.expected() == Refusal.Expected.ID ? ", e.g. /api/v2/tasks/instances/1000" : "");
  }

  @Override
  public String outOfRange(Refusal.OutOfRange r) {
    return r.describe();
  }

  @Override
  public String unknownValue(Refusal.UnknownValue r) {
    return r.describe();
  }

  @Override
  public String forbiddenCharacter(Refusal.ForbiddenCharacter r) {
    return r.describe();
  }

  @Override
  public String tooLong(Refusal.TooLong r) {
    return r.describe();
  }

  @Override
  public String reasonRequired(Refusal.ReasonRequired r) {
    return "a reason is required to "
        + ApprovableAction.verb(r.action())
        + " cluster "
        + r.cluster().id()
        + " ("
        + r.cluster().name()
        + "); say why, e.g. {\"reason\": \"disk replacement on zone1\"}";
  }

  @Override
  public String clusterNotFound(Refusal.ClusterNotFound r) {
    return "cluster "
        + r.cluster()
        + " does not exist; GET /api/v2/ob/clusters lists the clusters you may view";
  }

  @Override
  public String taskNotFound(Refusal.TaskNotFound r) {
    return "task "
        + r.task()
        + " does not exist; check the id in the stop request's response (GET"
        + " /api/v2/approvals lists requests with their taskId)";
  }

  @Override
  public String subtaskNotFound(Refusal.SubtaskNotFound r) {
    return "subtask "
        + r.subtask()
        + " of task "
        + r.task()
        + " does not exist; GET /api/v2/tasks/instances/"
        + r.task()
        + " lists its subtasks";
  }

  @Override
  public String requestNotFound(Refusal.RequestNotFound r) {
    return "approval request #"
        + r.request()
        + " does not exist; GET /api/v2/approvals?state=PENDING lists the open ones";
  }

  @Override
  public String notPermitted(Refusal.NotPermitted r) {
    return r.principal()
        + " lacks "
        + r.missingWire()
        + " on cluster "
        + r.cluster().id()
        + " ("
        + r.cluster().name()
        + "); ask an administrator to bind a role that grants it in "
        + r.accessFile();
  }

  @Override
  public String ownRequest(Refusal.OwnRequest r) {
    return "you requested #"
        + r.request()
        + ", so you can't "
        + r.verb()
        + " it; another person with approval.decide must decide"
        + (r.verb().equals("reject")
            ? " (you can cancel it: POST /api/v2/approvals/" + r.request() + "/cancel)"
            : "");
  }

  @Override
  public String notRequester(Refusal.NotRequester r) {
    return "only the requester ("
        + r.requester()
        + ") can cancel request #"
        + r.request()
        + "; an approver can reject it instead (POST /api/v2/approvals/"
        + r.request()
        + "/reject)";
  }

  @Override
  public String alreadyDecided(Refusal.AlreadyDecided r) {
    return "you already decided request #"
        + r.request()
        + " ("
        + r.verdict()
        + " at "
        + time(r.at())
        + " as "
        + r.principal()
        + "); a person counts once, another person must approve";
  }

  @Override
  public String requestClosed(Refusal.RequestClosed r) {
    return "request #"
        + r.request()
        + " is already "
        + r.state()
        + (r.detail() == null ? "" : " (" + r.detail() + ")")
        + (r.task() == null ? "" : "; its task is GET /api/v2/tasks/instances/" + r.task())
        + "; a decided request never changes"
        + (r.state().equals("APPROVED")
            ? ""
            : ", request the " + ApprovableAction.verb(r.action()) + " again if needed");
  }

  @Override
  public String alreadyPending(Refusal.AlreadyPending r) {
    return "cluster "
        + r.cluster().id()
        + " ("
        + r.cluster().name()
        + ") already has a pending "
        + ApprovableAction.verb(r.action())
        + " request #"
        + r.request()
        + " by "
        + r.requester()
        + ", open until "
        + time(r.until())
        + "; approve it (POST /api/v2/approvals/"
        + r.request()
        + "/approve) or have its requester cancel it";
  }

  @Override
  public String clusterBusy(Refusal.ClusterBusy r) {
    return "cluster "
        + r.cluster().id()
        + " ("
        + r.cluster().name()
        + ") already has an operation in flight"
        + (r.holder() == null
            ? "; try again in a moment"
            : ": task "
                + r.holder()
                + "; follow it with GET /api/v2/tasks/instances/"
                + r.holder()
                + ", retry or skip its failed subtasks");
  }

  @Override
  public String clusterNotReady(Refusal.ClusterNotReady r) {
    return "cluster "
        + r.cluster().id()
        + " ("
        + r.cluster().name()
        + ") is "
        + r.status()
        + "; a "
        + ApprovableAction.verb(r.action())
        + " needs it "
        + r.required()
        + (r.last() == null
            ? ""
            : " (task "
                + r.last().task()
                + ", \""
                + r.last().name()
                + "\" by "
                + r.last().by()
                + ", ended "
                + r.last().at()
                + ")")
        + nextStep(r);
  }

  /** What to do with a cluster whose status refused the action: the other action's path. */
  private static String nextStep(Refusal.ClusterNotReady r) {
    return switch (r.status()) {
      case "STOPPED" -> "; start it with POST /api/v2/ob/clusters/" + r.cluster().id() + "/start";
      case "RUNNING" ->
          "; it is running already (stop it with POST /api/v2/ob/clusters/"
              + r.cluster().id()
              + "/stop)";
      default -> "";
    };
  }

  @Override
  public String taskConflict(Refusal.TaskConflict r) {
    return r.detail();
  }

  @Override
  public String awaitingApproval(Refusal.AwaitingApproval r) {
    return "task "
        + r.task()
        + " waits for its approval"
        + (r.request() == null
            ? ""
            : " (request #"
                + r.request()
                + ": POST /api/v2/approvals/"
                + r.request()
                + "/approve or /reject)")
        + "; nothing of it has run yet";
  }

  @Override
  public String neverRuns(Refusal.NeverRuns r) {
    return "task "
        + r.task()
        + " never runs: its approval request"
        + (r.request() == null ? "" : " #" + r.request())
        + " is "
        + r.state()
        + "; ask again (POST /api/v2/ob/clusters/{id}/stop) for a new task";
  }

  @Override
  public String planOutdated(Refusal.PlanOutdated r) {
    return "the pre-flight plan of request #"
        + r.request()
        + " was inspected at "
        + time(r.inspectedAt())
        + ", longer ago than "
        + r.maxAge().toSeconds()
        + " s; POST /api/v2/approvals/"
        + r.request()
        + "/refresh to inspect the servers again, read the plan with GET /api/v2/approvals/"
        + r.request()
        + ", then approve with its planHash";
  }

  @Override
  public String planChanged(Refusal.PlanChanged r) {
    return "the pre-flight plan of request #"
        + r.request()
        + " is no longer the one you approved (planHash "
        + r.shown()
        + "; now version "
        + r.version()
        + ", planHash "
        + r.current()
        + "); read it with GET /api/v2/approvals/"
        + r.request()
        + " and approve again with its planHash";
  }

  @Override
  public String serversChanged(Refusal.ServersChanged r) {
    return "task "
        + r.task()
        + " was approved for servers that have changed since ("
        + String.join("; ", r.changes())
        + "); a retry would act on what nobody approved, so request the operation again"
        + " for the current servers";
  }

  @Override
  public String botLacksPermissions(Refusal.BotLacksPermissions r) {
    return "the chat bot lacks the permission(s) "
        + String.join(", ", r.missing())
        + " in "
        + r.where()
        + "; an administrator of that chat must grant them";
  }

  private String time(java.time.OffsetDateTime t) {
    return t == null ? "-" : OcpTime.format(t, zone);
  }
}

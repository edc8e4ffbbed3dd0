package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.approval.ApprovalRequest;
import io.obops.cluster.ClusterSnapshot;
import io.obops.ocp.OcpTime;
import java.time.ZoneId;
import java.util.List;

/**
 * An approval request on the API, OCP-style (keys alphabetical, OCP timestamps). {@code taskId} is
 * the task the request created (gated until approved); {@code GET /api/v2/tasks/instances/{taskId}}
 * serves it. {@code parameters} is what approvers are shown: the cluster, its zones and servers;
 * {@code plan} what a read-only pre-flight inspection found on them (null when none was made).
 */
@JsonPropertyOrder(alphabetic = true)
record ApprovalView(
    String action,
    int approvals,
    int approvalsRequired,
    List<String> approverPermissions,
    String closeDetail,
    String closeReason,
    Cluster cluster,
    String createTime,
    List<DecisionView> decisions,
    String expireTime,
    String finishTime,
    long id,
    Parameters parameters,
    String parametersHash,
    PlanView plan,
    String reason,
    String requester,
    String requesterSurface,
    String state,
    Long taskId) {

  @JsonPropertyOrder(alphabetic = true)
  public record Cluster(long id, String name) {}

  /** The cluster as the request binds it. */
  public record Parameters(
      long clusterId,
      String clusterName,
      long obClusterId,
      String inventoryHash,
      List<String> zones,
      List<Server> servers) {

    static Parameters of(ClusterSnapshot s) {
      return new Parameters(
          s.clusterId(),
          s.clusterName(),
          s.obClusterId(),
          s.inventoryHash(),
          s.zones(),
          s.servers().stream().map(x -> new Server(x.id(), x.zone(), x.address())).toList());
    }
  }

  /** One server the action acts on: {@code address} is {@code ip:rpc_port}. */
  public record Server(long id, String zone, String address) {}

  @JsonPropertyOrder(alphabetic = true)
  public record DecisionView(
      String comment,
      String decision,
      String planHash,
      String principal,
      String surface,
      String time) {}

  static ApprovalView of(ApprovalRequest r, ZoneId zone) {
    return new ApprovalView(
        r.action(),
        r.approvals(),
        r.approvalsRequired(),
        r.approverPermissions(),
        r.closeDetail(),
        r.closeReason() == null ? null : r.closeReason().name(),
        new Cluster(r.cluster().id(), r.cluster().name()),
        OcpTime.format(r.createTime(), zone),
        r.decisions().stream()
            .map(
                d ->
                    new DecisionView(
                        d.comment(),
                        d.verdict().name(),
                        d.planHash(),
                        d.principal(),
                        d.surface().wire(),
                        OcpTime.format(d.time(), zone)))
            .toList(),
        OcpTime.format(r.expireTime(), zone),
        OcpTime.format(r.finishTime(), zone),
        r.id(),
        Parameters.of(r.snapshot()),
        r.paramsHash(),
        PlanView.of(r.plan(), zone),
        r.reason(),
        r.requester(),
        r.requesterSurface().wire(),
        r.state().name(),
        r.taskId());
  }
}

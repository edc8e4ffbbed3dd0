package io.obops.operations;

import io.obops.access.AccessControl;
import io.obops.approval.ApprovableActions;
import io.obops.approval.ApprovalDecisions;
import io.obops.approval.ApprovalRequests;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.obcluster.ApprovedTargets;
import io.obops.task.TaskClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Assembles the operations layer that every surface calls. */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

  @Bean
  Guard operationsGuard(AccessControl access, ClusterInventory inventory, AuditLog audit) {
    return new Guard(access, inventory, audit);
  }

  @Bean
  ClusterOperations clusterOperations(Guard guard, ClusterInventory inventory) {
    return new ClusterOperations(guard, inventory);
  }

  @Bean
  ApprovalOperations approvalOperations(
      Guard guard,
      ApprovableActions actions,
      ApprovalRequests requests,
      ApprovalDecisions decisions,
      TaskClient engine) {
    return new ApprovalOperations(guard, actions, requests, decisions, engine);
  }

  @Bean
  TaskOperations taskOperations(
      Guard guard,
      TaskClient engine,
      ApprovalRequests requests,
      ApprovedTargets targets,
      AuditLog audit,
      TransactionTemplate tx) {
    return new TaskOperations(guard, engine, requests, targets, audit, tx);
  }

  @Bean
  AuthenticationOperations authenticationOperations(
      AuditLog audit, JdbcClient jdbc, java.time.Clock clock) {
    return new AuthenticationOperations(audit, jdbc, clock);
  }

  @Bean
  AuditOperations auditOperations(Guard guard, AuditLog audit) {
    return new AuditOperations(guard, audit);
  }
}

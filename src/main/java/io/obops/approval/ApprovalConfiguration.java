package io.obops.approval;

import io.obops.access.AccessControl;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.obcluster.StopClusterService;
import io.obops.task.TaskClient;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Assembles the approval service and its expiry sweep ({@code obops.approval.sweep-interval},
 * default 30s; expiry is also checked whenever someone decides, so the sweep only tidies up).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ApprovalConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ApprovalConfiguration.class);

  @Bean
  ApprovalService approvalService(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      AccessControl access,
      ClusterInventory inventory,
      StopClusterService stop,
      TaskClient tasks,
      AuditLog audit,
      ObjectMapper json) {
    return new ApprovalService(jdbc, tx, clock, access, inventory, stop, tasks, audit, json);
  }

  @Bean
  ExpirySweep approvalExpirySweep(ApprovalService approvals) {
    return new ExpirySweep(approvals);
  }

  /** Expires overdue PENDING requests; state lives in the database, so a restart loses nothing. */
  static final class ExpirySweep {
    private final ApprovalService approvals;

    ExpirySweep(ApprovalService approvals) {
      this.approvals = approvals;
    }

    @Scheduled(
        fixedDelayString = "${obops.approval.sweep-interval:30s}",
        initialDelayString = "${obops.approval.sweep-interval:30s}")
    void sweep() {
      try {
        int n = approvals.expireDue();
        if (n > 0) {
          log.info("approval: expired {} overdue request(s)", n);
        }
      } catch (RuntimeException e) {
        log.warn("approval: expiry sweep failed, will try again: {}", e.toString());
      }
    }
  }
}

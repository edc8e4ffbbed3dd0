package io.obops.approval;

import io.obops.access.AccessControl;
import io.obops.audit.AuditLog;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Assembles the approval flow from its parts (each injected, none built inside another) and its
 * expiry sweep ({@link ApprovalProperties#sweepInterval()}; expiry is also checked whenever someone
 * decides, so the sweep only tidies up). The approvable actions are every {@link ApprovableAction}
 * bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApprovalProperties.class)
@EnableScheduling
class ApprovalConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ApprovalConfiguration.class);

  @Bean
  ApprovableActions approvableActions(List<ApprovableAction> actions) {
    return new ApprovableActions(actions);
  }

  @Bean
  ApprovalRepository approvalRepository(JdbcClient jdbc, Clock clock) {
    return new ApprovalRepository(jdbc, clock);
  }

  @Bean
  TwoPersonRule twoPersonRule(AccessControl access) {
    return new TwoPersonRule(access);
  }

  @Bean
  RequestCloser requestCloser(
      ApprovalRepository repo,
      ApprovableActions actions,
      TwoPersonRule rule,
      AuditLog audit,
      Clock clock) {
    return new RequestCloser(repo, actions, rule, audit, clock);
  }

  @Bean
  ApprovalRequests approvalRequests(
      ApprovalRepository repo,
      ApprovableActions actions,
      RequestCloser closer,
      TwoPersonRule rule,
      AccessControl access,
      AuditLog audit,
      TransactionTemplate tx,
      Clock clock) {
    return new ApprovalRequests(repo, actions, closer, rule, access, audit, tx, clock);
  }

  @Bean
  ApprovalDecisions approvalDecisions(
      ApprovalRepository repo,
      RequestCloser closer,
      TwoPersonRule rule,
      ApprovalRequests requests,
      AccessControl access,
      AuditLog audit,
      TransactionTemplate tx,
      Clock clock,
      ApprovalProperties properties) {
    return new ApprovalDecisions(
        repo, closer, rule, requests, access, audit, tx, clock, properties.planMaxAge());
  }

  @Bean
  ApprovalExpiry approvalExpiry(
      ApprovalRepository repo, RequestCloser closer, TransactionTemplate tx, Clock clock) {
    return new ApprovalExpiry(repo, closer, tx, clock);
  }

  @Bean
  ExpirySweep approvalExpirySweep(ApprovalExpiry expiry) {
    return new ExpirySweep(expiry);
  }

  @Bean
  SchedulingConfigurer approvalExpirySchedule(ExpirySweep sweep, ApprovalProperties properties) {
    return (ScheduledTaskRegistrar registrar) ->
        registrar.addFixedDelayTask(
            new FixedDelayTask(
                sweep::sweep, properties.sweepInterval(), properties.sweepInterval()));
  }

  /** Expires overdue PENDING requests; state lives in the database, so a restart loses nothing. */
  static final class ExpirySweep {
    private final ApprovalExpiry expiry;

    ExpirySweep(ApprovalExpiry expiry) {
      this.expiry = expiry;
    }

    void sweep() {
      try {
        int n = expiry.expireDue();
        if (n > 0) {
          log.info("approval: expired {} overdue request(s)", n);
        }
      } catch (RuntimeException e) {
        log.warn("approval: expiry sweep failed, will try again: {}", e.toString());
      }
    }
  }
}

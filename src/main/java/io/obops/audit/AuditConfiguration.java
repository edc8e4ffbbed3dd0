package io.obops.audit;

import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Assembles the audit log and subscribes it to the task engine's events. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

  @Bean
  AuditLog auditLog(JdbcClient jdbc, Clock clock) {
    return new AuditLog(jdbc, clock);
  }

  @Bean
  TaskAuditListener taskAuditListener(TaskEngine engine, TaskClient tasks, AuditLog audit) {
    TaskAuditListener listener = new TaskAuditListener(tasks, audit);
    engine.addListener(listener);
    return listener;
  }
}

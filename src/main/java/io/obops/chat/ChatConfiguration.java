package io.obops.chat;

import io.obops.access.AccessControl;
import io.obops.api.OcpResponses;
import io.obops.api.TaskView;
import io.obops.approval.ApprovalService;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObServer;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * Assembles the chat core: the conversation ({@link ChatService}, the {@link ChatCore} adapters
 * connect to), the progress reporter (a task-engine listener) and the scheduler that ticks them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChatProperties.class)
public class ChatConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ChatConfiguration.class);

  @Bean
  TaskDocuments taskDocuments(
      OcpResponses responses, ObjectMapper json, ClusterInventory inventory) {
    return new TaskDocuments() {
      @Override
      public byte[] envelope(TaskInstance task) {
        return json.writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(
                responses.envelope(
                    TaskView.of(task, responses.zone()), UUID.randomUUID().toString()));
      }

      @Override
      public byte[] graph(TaskInstance task) {
        return TaskGraphImage.png(task, serverNames(inventory, task));
      }
    };
  }

  static Map<Long, String> serverNames(ClusterInventory inventory, TaskInstance task) {
    if (task.target() == null) {
      return Map.of();
    }
    return inventory.find(task.target().id()).map(c -> c.servers()).orElse(List.of()).stream()
        .collect(Collectors.toMap(ObServer::id, ObServer::address, (a, b) -> a));
  }

  @Bean
  ProgressReporter progressReporter(
      JdbcClient jdbc,
      Clock clock,
      OcpResponses responses,
      TaskEngine engine,
      TaskClient tasks,
      ClusterInventory inventory,
      TaskDocuments documents,
      ChatProperties properties) {
    var reporter =
        new ProgressReporter(
            platforms,
            new ConversationStore(jdbc, clock),
            new Rendering(responses.zone()),
            tasks,
            inventory,
            documents,
            clock,
            properties.boardInterval());
    engine.addListener(reporter);
    return reporter;
  }

  private final Platforms platforms = new Platforms();

  @Bean
  ChatService chatService(
      ApprovalService approvals,
      ClusterInventory inventory,
      AccessControl access,
      TaskClient tasks,
      AuditLog audit,
      JdbcClient jdbc,
      Clock clock,
      OcpResponses responses,
      ProgressReporter progress,
      ChatProperties properties) {
    return new ChatService(
        approvals,
        inventory,
        access,
        tasks,
        audit,
        new ConversationStore(jdbc, clock),
        new Rendering(responses.zone()),
        platforms,
        progress,
        properties);
  }

  /** Resumes unfinished conversations at start-up and ticks the chat core. */
  @Bean
  SmartLifecycle chatTicker(ChatService chat, ProgressReporter progress, ChatProperties p) {
    return new SmartLifecycle() {
      private ScheduledExecutorService scheduler;

      @Override
      public void start() {
        progress.resume();
        if (!p.tickInterval().isZero()) {
          scheduler =
              Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread t = new Thread(r, "obops-chat-ticker");
                    t.setDaemon(true);
                    return t;
                  });
          scheduler.scheduleWithFixedDelay(
              () -> {
                try {
                  chat.tick();
                } catch (RuntimeException e) {
                  log.warn("chat tick failed: {}", e.toString());
                }
              },
              p.tickInterval().toMillis(),
              p.tickInterval().toMillis(),
              TimeUnit.MILLISECONDS);
        }
      }

      @Override
      public void stop() {
        if (scheduler != null) {
          scheduler.shutdownNow();
          scheduler = null;
        }
      }

      @Override
      public boolean isRunning() {
        return scheduler != null;
      }
    };
  }
}

package io.obops.chat;

import io.obops.api.OcpResponses;
import io.obops.api.TaskView;
import io.obops.approval.ApprovalRequests;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.ClusterOperations;
import io.obops.operations.TaskOperations;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * Assembles the chat core from its parts, each injected: the commands, the buttons, the refusal
 * words, the approval cards, the progress reporter (a task-engine listener), and the scheduler that
 * ticks them; {@link ChatService} is what adapters connect to.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChatProperties.class)
public class ChatConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ChatConfiguration.class);

  @Bean
  Platforms chatPlatforms() {
    return new Platforms();
  }

  @Bean
  ConversationStore conversationStore(JdbcClient jdbc, Clock clock) {
    return new ConversationStore(jdbc, clock);
  }

  @Bean
  Rendering chatRendering(OcpResponses responses) {
    return new Rendering(responses.zone());
  }

  @Bean
  ServerNames chatServerNames(ApprovedServers approved, ClusterInventory inventory) {
    return new ServerNames(approved, inventory);
  }

  @Bean
  TaskDocuments taskDocuments(OcpResponses responses, ObjectMapper json, ServerNames names) {
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
        return TaskGraphImage.png(task, names.of(task), names.zones(task));
      }
    };
  }

  @Bean
  ProgressReporter progressReporter(
      Platforms platforms,
      ConversationStore store,
      Rendering rendering,
      Clock clock,
      TaskEngine engine,
      TaskClient tasks,
      ClusterInventory inventory,
      TaskDocuments documents,
      ServerNames names,
      CardEditor cards,
      ChatProperties properties) {
    var reporter =
        new ProgressReporter(
            platforms,
            store,
            rendering,
            tasks,
            names,
            cards,
            documents,
            clock,
            properties.boardInterval());
    engine.addListener(reporter);
    return reporter;
  }

  @Bean
  ChatRefusals chatRefusals(Rendering rendering, Clock clock) {
    return new ChatRefusals(rendering, clock);
  }

  @Bean
  ApprovalCards approvalCards(
      ApprovalRequests requests,
      ConversationStore store,
      Rendering rendering,
      Platforms platforms,
      ProgressReporter progress,
      CardEditor editor) {
    return new ApprovalCards(requests, store, rendering, platforms, progress, editor);
  }

  @Bean
  CardEditor cardEditor(
      ApprovalRequests requests,
      ApprovalOperations approvals,
      TaskClient tasks,
      ServerNames names,
      Rendering rendering,
      ChatProperties properties,
      ObjectProvider<CardEditor.CardSections> sections,
      Clock clock) {
    return new CardEditor(
        requests,
        approvals,
        tasks,
        names,
        rendering,
        properties,
        sections.getIfAvailable(() -> r -> List.of()),
        clock);
  }

  @Bean
  ChatCommands chatCommands(
      ClusterOperations clusters,
      ApprovalOperations approvals,
      TaskOperations tasks,
      ApprovalCards cards,
      ServerNames names,
      Rendering rendering,
      Clock clock) {
    return new ChatCommands(clusters, approvals, tasks, cards, names, rendering, clock);
  }

  @Bean
  ChatButtons chatButtons(
      ApprovalOperations approvals,
      TaskOperations tasks,
      ApprovalCards cards,
      ConversationStore store,
      ProgressReporter progress,
      ChatRefusals refusals) {
    return new ChatButtons(approvals, tasks, cards, store, progress, refusals);
  }

  @Bean
  ChatService chatService(
      ChatCommands commands,
      ChatButtons buttons,
      ChatRefusals refusals,
      ClusterOperations clusters,
      ApprovalCards cards,
      ProgressReporter progress,
      Platforms platforms,
      ApprovalReminders reminders) {
    return new ChatService(
        commands, buttons, refusals, clusters, cards, progress, platforms, reminders);
  }

  @Bean
  ApprovalReminders approvalReminders(
      JdbcClient jdbc,
      ApprovalRequests requests,
      ApprovalOperations approvals,
      ConversationStore store,
      CardEditor cards,
      Platforms platforms,
      Rendering rendering,
      Clock clock) {
    return new ApprovalReminders(
        jdbc,
        requests,
        approvals,
        store,
        cards,
        platforms,
        rendering,
        clock,
        java.time.Duration.ofSeconds(15));
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

package io.obops.chat;

import io.obops.approval.ApprovalRequests;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.ocp.OcpEnvelopes;
import io.obops.ocp.TaskView;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.ClusterOperations;
import io.obops.operations.TaskOperations;
import io.obops.routine.Routine;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Assembles the chat core from its parts, each injected: the commands, the buttons, the refusal
 * words, the approval cards, the progress reporter (reads stored task state), the outbox and its
 * sender, and the two routines that drive them; {@link ChatService} is what adapters connect to.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChatProperties.class)
class ChatConfiguration {

  @Bean
  Platforms chatPlatforms() {
    return new Platforms();
  }

  @Bean
  ConversationStore conversationStore(JdbcClient jdbc, Clock clock) {
    return new ConversationStore(jdbc, clock);
  }

  @Bean
  Rendering chatRendering(OcpEnvelopes responses) {
    return new Rendering(responses.zone());
  }

  @Bean
  ServerNames chatServerNames(ApprovedServers approved, ClusterInventory inventory) {
    return new ServerNames(approved, inventory);
  }

  @Bean
  TaskDocuments taskDocuments(OcpEnvelopes responses, ObjectMapper json, ServerNames names) {
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
  ChatReplica chatReplica() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "obops";
    }
    return new ChatReplica(host + "/" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Bean
  ChatOutbox chatOutbox(JdbcClient jdbc, Clock clock, ObjectMapper json) {
    return new ChatOutbox(jdbc, clock, json);
  }

  @Bean
  ProgressReporter progressReporter(
      ConversationStore store,
      ChatOutbox outbox,
      Rendering rendering,
      Clock clock,
      TaskClient tasks,
      ServerNames names,
      TaskDocuments documents,
      TransactionTemplate tx,
      ChatProperties properties) {
    return new ProgressReporter(
        store, outbox, rendering, tasks, names, documents, tx, clock, properties.boardInterval());
  }

  @Bean
  OutboxSender outboxSender(
      ChatOutbox outbox,
      ConversationStore store,
      Platforms platforms,
      Rendering rendering,
      ApprovalRequests requests,
      ApprovalOperations approvals,
      TaskClient tasks,
      ServerNames names,
      ChatProperties properties,
      TransactionTemplate tx,
      Clock clock,
      ChatReplica replica,
      CardEditor cards) {
    return new OutboxSender(
        outbox,
        store,
        platforms,
        rendering,
        requests,
        approvals,
        tasks,
        names,
        properties,
        tx,
        clock,
        replica.name(),
        cards);
  }

  @Bean
  ChatRefusals chatRefusals(Rendering rendering, Clock clock) {
    return new ChatRefusals(rendering, clock);
  }

  @Bean
  ApprovalCards approvalCards(
      ApprovalRequests requests,
      ConversationStore store,
      ChatOutbox outbox,
      Rendering rendering,
      TransactionTemplate tx,
      Clock clock) {
    return new ApprovalCards(requests, store, outbox, rendering, tx, clock);
  }

  @Bean
  CardEditor cardEditor(
      ApprovalOperations approvals,
      TaskClient tasks,
      ServerNames names,
      Rendering rendering,
      ChatProperties properties,
      ObjectProvider<CardEditor.CardSections> sections,
      Clock clock) {
    return new CardEditor(
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
      Clock clock,
      ObjectProvider<OutboxSender> sender) {
    // Delivers a new request's card at once, so a refusal for good is answered to the requester.
    Runnable deliverNow =
        () -> {
          try {
            sender.getObject().deliverDue(ChatService.AFTER_COMMAND);
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(ChatCommands.class)
                .warn(
                    "chat: delivery after a request failed; the outbox retries: {}", e.toString());
          }
        };
    return new ChatCommands(clusters, approvals, tasks, cards, names, rendering, clock, deliverNow);
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
      OutboxSender sender,
      ApprovalReminders reminders) {
    return new ChatService(
        commands, buttons, refusals, clusters, cards, progress, platforms, sender, reminders);
  }

  @Bean
  ApprovalReminders approvalReminders(
      JdbcClient jdbc,
      ApprovalRequests requests,
      ApprovalOperations approvals,
      ConversationStore store,
      ChatOutbox outbox,
      Platforms platforms,
      Rendering rendering,
      TransactionTemplate tx,
      Clock clock) {
    return new ApprovalReminders(
        jdbc, requests, approvals, store, outbox, platforms, rendering, tx, clock);
  }

  /**
   * Records what changed in stored state (closed requests' cards, tasks whose version moved) as
   * outbox rows; on every replica (the rows' keys and the reporter's row lock keep it once).
   */
  @Bean
  Routine chatReporterRoutine(ChatService chat, ChatProperties p) {
    return new Routine("chat-reporter", p.tickInterval(), chat::report);
  }

  /**
   * Hands the conversations with due outbox rows to the sender's workers (platforms connected on
   * this replica) and returns without waiting: a conversation held by a rate limit never holds the
   * routine, and the next run hands out what became due meanwhile.
   */
  @Bean
  Routine chatOutboxRoutine(OutboxSender sender, ChatProperties p) {
    return new Routine("chat-outbox", p.tickInterval(), sender::handOutDue);
  }
}

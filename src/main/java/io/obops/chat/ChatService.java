package io.obops.chat;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.NotPermittedException;
import io.obops.access.Permission;
import io.obops.approval.ApprovalException;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalService;
import io.obops.approval.ApprovalState;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObServer;
import io.obops.task.SubtaskInstance;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import io.obops.task.TaskOperationException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation behind {@code /obcluster}: commands, the approval card and its thread, button
 * decisions. Implements {@link ChatCore}; every platform gets a gateway bound to its surface.
 * Decisions are made by {@link ApprovalService} (which re-checks every click); this class only
 * talks.
 */
public final class ChatService implements ChatCore {

  private static final Logger log = LoggerFactory.getLogger(ChatService.class);
  private static final String USAGE =
      "Commands: /obcluster list · /obcluster status id:<id> · /obcluster task id:<task id> ·"
          + " /obcluster stop id:<id> reason:<why>";

  private final ApprovalService approvals;
  private final ClusterInventory inventory;
  private final AccessControl access;
  private final TaskClient tasks;
  private final AuditLog audit;
  private final ConversationStore store;
  private final Rendering rendering;
  private final Platforms platforms;
  private final ProgressReporter progress;
  private final ChatProperties properties;

  ChatService(
      ApprovalService approvals,
      ClusterInventory inventory,
      AccessControl access,
      TaskClient tasks,
      AuditLog audit,
      ConversationStore store,
      Rendering rendering,
      Platforms platforms,
      ProgressReporter progress,
      ChatProperties properties) {
    this.approvals = approvals;
    this.inventory = inventory;
    this.access = access;
    this.tasks = tasks;
    this.audit = audit;
    this.store = store;
    this.rendering = rendering;
    this.platforms = platforms;
    this.progress = progress;
    this.properties = properties;
  }

  @Override
  public ChatGateway connect(ChatPlatform platform) {
    platforms.put(platform);
    log.info("chat: {} connected", platform.surface().wire());
    return new Gateway(platform);
  }

  /**
   * Re-renders cards whose request was closed elsewhere (expired by the sweep, decided over REST)
   * and starts reporting tasks started that way; then reports progress. The scheduler calls this.
   */
  public int tick() {
    int calls = 0;
    for (ConversationStore.Conversation c : store.pendingCards()) {
      try {
        calls += refreshCard(c.requestId()) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("request {}: card not refreshed: {}", c.requestId(), e.toString());
      }
    }
    return calls + progress.tick();
  }

  /** Edits the card if the request's state differs from what it shows; links an approved task. */
  private boolean refreshCard(long requestId) {
    ConversationStore.Conversation c = store.find(requestId).orElse(null);
    ApprovalRequest r = approvals.find(requestId).orElse(null);
    if (c == null || r == null || r.state().name().equals(c.cardState())) {
      return false;
    }
    ChatPlatform p = platforms.get(c.surface()).orElse(null);
    if (p == null) {
      return false;
    }
    Platforms.edit(p, c.card(), rendering.card(r, c.requesterMention(), approverMention(p)));
    if (!store.moveCard(requestId, c.cardState(), r.state().name())) {
      return true;
    }
    String line = rendering.decision(r);
    if (r.state() == ApprovalState.APPROVED && r.taskId() != null) {
      store.setTask(requestId, r.taskId());
      Platforms.post(
          p,
          c.thread(),
          ChatMessage.text(line + ". " + c.requesterMention() + " the stop is running."));
      progress.track(requestId, r.taskId());
    } else {
      Platforms.post(p, c.thread(), ChatMessage.text(line + "."));
    }
    return true;
  }

  private String approverMention(ChatPlatform p) {
    String role = properties.approverRole();
    return role == null || role.isBlank() ? "" : p.mentionRole(role);
  }

  /** The gateway of one platform. */
  private final class Gateway implements ChatGateway {

    private final ChatPlatform platform;

    Gateway(ChatPlatform platform) {
      this.platform = platform;
    }

    @Override
    public ChatReply onCommand(ChatUser user, ChannelRef channel, ChatCommand command) {
      Actor actor = user.actor(platform.surface());
      try {
        switch (command.subcommand()) {
          case ChatCommand.STOP:
            return stop(user, actor, channel, command);
          case ChatCommand.STATUS:
            return status(actor, clusterId(command));
          case ChatCommand.LIST:
            return list(actor);
          case ChatCommand.TASK:
            return task(actor, number(command, "id", "/obcluster task id:<task id>"));
          default:
            return ChatReply.ephemeral(
                (command.subcommand().isEmpty()
                        ? ""
                        : "Unknown command '" + command.subcommand() + "'. ")
                    + USAGE);
        }
      } catch (Refusal e) {
        return ChatReply.ephemeral(e.getMessage());
      } catch (ApprovalException | NotPermittedException e) {
        return ChatReply.ephemeral(e.getMessage());
      }
    }

    private ChatReply stop(ChatUser user, Actor actor, ChannelRef channel, ChatCommand command) {
      long clusterId = clusterId(command);
      String reason = command.option("reason").orElse(null);
      ObCluster cluster = cluster(clusterId);
      ClusterRef ref = new ClusterRef(cluster.id(), cluster.name(), cluster.tags());
      if (reason == null && access.policy(ApprovalService.STOP, ref).reasonRequired()) {
        throw new Refusal(
            "Say why you stop cluster "
                + cluster.name()
                + ": /obcluster stop id:"
                + clusterId
                + " reason:<why, e.g. disk replacement on zone1>");
      }
      ApprovalRequest r = approvals.request(actor, clusterId, reason);
      String mention = user.mention();
      MessageRef card =
          Platforms.post(platform, channel, rendering.card(r, mention, approverMention(platform)));
      ChannelRef thread =
          platform.openThread(card, "Stop " + r.cluster().name() + " — request #" + r.id());
      store.insert(r.id(), platform.surface(), channel, card, thread, mention);
      approvals.setChatRefs(
          r.id(),
          "{\"surface\":\""
              + platform.surface().wire()
              + "\",\"channel\":"
              + quote(channel.value())
              + ",\"card\":"
              + quote(card.value())
              + ",\"thread\":"
              + quote(thread.value())
              + "}");
      Platforms.post(
          platform,
          thread,
          ChatMessage.text(
              "Everything about request #"
                  + r.id()
                  + " goes in this thread: the decision, then the progress of the stop."));
      return ChatReply.ephemeral(
          "Request #"
              + r.id()
              + " to stop "
              + r.cluster().name()
              + " is posted; it needs "
              + r.approvalsRequired()
              + " approval(s) by someone else before "
              + rendering.time(r.expireTime())
              + ".");
    }

    private ChatReply status(Actor actor, long clusterId) {
      ObCluster c = cluster(clusterId);
      access.require(actor, Permission.CLUSTER_VIEW, new ClusterRef(c.id(), c.name(), c.tags()));
      StringBuilder text =
          new StringBuilder("**")
              .append(c.name())
              .append("** (id ")
              .append(c.id())
              .append("): ")
              .append(c.status());
      if (c.operationTaskId() != null) {
        text.append(" — task ").append(c.operationTaskId()).append(" in flight");
      }
      for (var z : c.zones()) {
        text.append("\n").append(z.name()).append(": ").append(z.status());
        for (ObServer s : c.serversIn(z.name())) {
          text.append("\n  ").append(s.address()).append(" ").append(s.status());
        }
      }
      return ChatReply.ephemeral(text.toString());
    }

    private ChatReply list(Actor actor) {
      String lines =
          inventory.all().stream()
              .filter(
                  c ->
                      access.has(
                          actor,
                          Permission.CLUSTER_VIEW,
                          new ClusterRef(c.id(), c.name(), c.tags())))
              .map(
                  c ->
                      c.id()
                          + " — "
                          + c.name()
                          + " — "
                          + c.status()
                          + " ("
                          + c.servers().size()
                          + " servers)")
              .collect(Collectors.joining("\n"));
      return ChatReply.ephemeral(
          lines.isEmpty()
              ? "You may not view any cluster; ask an obops operator for a role."
              : lines);
    }

    private ChatReply task(Actor actor, long taskId) {
      TaskInstance t =
          tasks.find(taskId).orElseThrow(() -> new Refusal("Task " + taskId + " does not exist."));
      if (t.target() != null) {
        access.require(
            actor,
            Permission.CLUSTER_VIEW,
            inventory
                .find(t.target().id())
                .map(c -> new ClusterRef(c.id(), c.name(), c.tags()))
                .orElse(new ClusterRef(t.target().id(), t.target().name(), List.of())));
      }
      return ChatReply.ephemeral(
          rendering
              .board(
                  t,
                  t.target() == null
                      ? java.util.Map.of()
                      : inventory
                          .find(t.target().id())
                          .map(c -> c.servers())
                          .orElse(List.of())
                          .stream()
                          .collect(Collectors.toMap(ObServer::id, ObServer::address, (a, b) -> a)),
                  java.time.OffsetDateTime.now())
              .text());
    }

    @Override
    public ChatReply onButton(ChatUser user, ChannelRef channel, String buttonId) {
      Actor actor = user.actor(platform.surface());
      String id = buttonId == null ? "" : buttonId;
      try {
        if (id.startsWith(Rendering.APPROVE)) {
          long requestId = requestId(id, Rendering.APPROVE);
          return decided(
              requestId,
              () -> approvals.approve(actor, requestId),
              r ->
                  r.state() == ApprovalState.APPROVED
                      ? "You approved #" + r.id() + "; task " + r.taskId() + " is running."
                      : "Your approval of #"
                          + r.id()
                          + " counts: "
                          + r.approvals()
                          + " of "
                          + r.approvalsRequired()
                          + ".");
        }
        if (id.startsWith(Rendering.REJECT)) {
          long requestId = requestId(id, Rendering.REJECT);
          return decided(
              requestId,
              () -> approvals.reject(actor, requestId, null),
              r -> "You rejected #" + r.id() + ".");
        }
        if (id.startsWith(Rendering.CANCEL)) {
          long requestId = requestId(id, Rendering.CANCEL);
          return decided(
              requestId,
              () -> approvals.cancel(actor, requestId),
              r -> "You cancelled #" + r.id() + ".");
        }
        if (id.startsWith(Rendering.RETRY) || id.startsWith(Rendering.SKIP)) {
          return manage(actor, id);
        }
      } catch (Refusal e) {
        return ChatReply.ephemeral(e.getMessage());
      }
      return ChatReply.ephemeral("This button is not one of obops' (or is from an older version).");
    }

    private ChatReply decided(
        long requestId,
        java.util.function.Supplier<ApprovalRequest> decision,
        java.util.function.Function<ApprovalRequest, String> reply) {
      try {
        ApprovalRequest r = decision.get();
        safeRefresh(requestId);
        return ChatReply.ephemeral(reply.apply(r));
      } catch (ApprovalException e) {
        safeRefresh(requestId); // a closed request (expired, decided elsewhere) updates its card
        return ChatReply.ephemeral(e.getMessage());
      }
    }

    private void safeRefresh(long requestId) {
      try {
        refreshCard(requestId);
      } catch (RuntimeException e) {
        log.warn("request {}: card not refreshed: {}", requestId, e.toString());
      }
    }

    private ChatReply manage(Actor actor, String id) {
      boolean retry = id.startsWith(Rendering.RETRY);
      String[] parts = id.substring((retry ? Rendering.RETRY : Rendering.SKIP).length()).split(":");
      long taskId;
      long subtaskId;
      try {
        taskId = Long.parseLong(parts[0]);
        subtaskId = Long.parseLong(parts[1]);
      } catch (RuntimeException e) {
        throw new Refusal("This button is malformed; use /obcluster task id:<task id>.");
      }
      TaskInstance t =
          tasks
              .find(taskId)
              .orElseThrow(() -> new Refusal("Task " + taskId + " does not exist any more."));
      ClusterRef ref =
          inventory
              .find(t.target().id())
              .map(c -> new ClusterRef(c.id(), c.name(), c.tags()))
              .orElse(new ClusterRef(t.target().id(), t.target().name(), List.of()));
      String action = retry ? "subtask.retry" : "subtask.skip";
      AuditEntry entry =
          AuditEntry.by(actor, action, "REQUESTED")
              .cluster(t.target().id())
              .task(taskId)
              .detail("subtask " + subtaskId);
      try {
        access.require(actor, Permission.TASK_MANAGE, ref);
      } catch (NotPermittedException e) {
        audit.record(
            AuditEntry.by(actor, action, "REFUSED")
                .cluster(t.target().id())
                .task(taskId)
                .detail(e.getMessage()));
        return ChatReply.ephemeral(e.getMessage());
      }
      SubtaskInstance s;
      try {
        s =
            retry
                ? tasks.retrySubtask(taskId, subtaskId, actor.principal())
                : tasks.skipSubtask(taskId, subtaskId, actor.principal());
      } catch (TaskOperationException e) {
        audit.record(
            AuditEntry.by(actor, action, "REFUSED")
                .cluster(t.target().id())
                .task(taskId)
                .detail(e.getMessage()));
        return ChatReply.ephemeral(e.getMessage());
      }
      audit.record(
          AuditEntry.by(actor, action, retry ? "RETRIED" : "SKIPPED")
              .cluster(t.target().id())
              .task(taskId)
              .detail("subtask " + subtaskId + " (" + s.name() + ")"));
      tasks.wakeUp();
      store.byTask(taskId).ifPresent(c -> progress.reopen(c.requestId(), taskId));
      return ChatReply.ephemeral(
          (retry ? "Retrying " : "Skipped ") + s.name() + " (subtask " + subtaskId + ").");
    }

    @Override
    public List<Choice> autocompleteClusterId(String partial) {
      String p = partial == null ? "" : partial.strip().toLowerCase(Locale.ROOT);
      return inventory.all().stream()
          .filter(
              c ->
                  p.isEmpty()
                      || String.valueOf(c.id()).startsWith(p)
                      || c.name().toLowerCase(Locale.ROOT).contains(p))
          .limit(25)
          .map(c -> new Choice(String.valueOf(c.id()), c.id() + " — " + c.name()))
          .toList();
    }
  }

  private ObCluster cluster(long clusterId) {
    return inventory
        .find(clusterId)
        .orElseThrow(
            () ->
                new Refusal(
                    "Cluster "
                        + clusterId
                        + " does not exist; /obcluster list shows the clusters."));
  }

  private static long clusterId(ChatCommand command) {
    return number(command, "id", "/obcluster " + command.subcommand() + " id:<cluster id>");
  }

  private static long number(ChatCommand command, String option, String usage) {
    String value =
        command.option(option).orElseThrow(() -> new Refusal("Which one? Write " + usage + "."));
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Refusal("'" + value + "' is not a number; write " + usage + ".");
    }
  }

  private static long requestId(String buttonId, String prefix) {
    try {
      return Long.parseLong(buttonId.substring(prefix.length()));
    } catch (NumberFormatException e) {
      throw new Refusal("This button is malformed; ask for the request again.");
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A refusal worded for chat. */
  private static final class Refusal extends RuntimeException {
    Refusal(String message) {
      super(message);
    }
  }

  Optional<ChatPlatform> platform(io.obops.access.Surface surface) {
    return platforms.get(surface);
  }
}

package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.operations.ApprovalOperations;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows an approval card as its request and task stand now (see {@link Rendering#card}): reads the
 * snapshot, renders it, and edits the card when what it shows changed, so a card goes PENDING →
 * APPROVED → RUNNING k/n → STOPPED ✓ in place. Which sections the card carries beyond the request
 * (a pre-flight plan) comes from {@link CardSections}.
 */
final class CardEditor {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CardEditor.class);

  /** Extra sections of a card, below its reason; none by default. */
  interface CardSections {
    List<ChatMessage.Field> of(ApprovalRequest request);
  }

  private final ApprovalRequests requests;
  private final ApprovalOperations approvals;
  private final TaskClient tasks;
  private final ServerNames serverNames;
  private final Rendering rendering;
  private final ChatProperties properties;
  private final CardSections sections;
  private final Clock clock;

  /** What each card showed last (without the relative expiry, which moves every minute). */
  private final Map<Long, ChatMessage> shown = new ConcurrentHashMap<>();

  CardEditor(
      ApprovalRequests requests,
      ApprovalOperations approvals,
      TaskClient tasks,
      ServerNames serverNames,
      Rendering rendering,
      ChatProperties properties,
      CardSections sections,
      Clock clock) {
    this.requests = requests;
    this.approvals = approvals;
    this.tasks = tasks;
    this.serverNames = serverNames;
    this.rendering = rendering;
    this.properties = properties;
    this.sections = sections;
    this.clock = clock;
  }

  /** The card of a request as it stands, its task read now (or the one given). */
  ChatMessage render(
      ChatPlatform p, ApprovalRequest r, TaskInstance task, String requesterMention) {
    TaskInstance t =
        task != null || r.taskId() == null ? task : tasks.find(r.taskId()).orElse(null);
    return rendering.card(
        new Rendering.CardView(
            r,
            t,
            t == null ? Map.of() : serverNames.of(t),
            requesterMention,
            mentions(p, approvals.approvers(r)),
            notify(p),
            sections.of(r),
            OffsetDateTime.now(clock)));
  }

  /**
   * Edits the card of a conversation if it would show something else now; true if it did. A refused
   * edit throws (the caller retries a decision's edit), unless {@code bestEffort}: then it is
   * logged and not tried again until the card would change (progress on a card is a courtesy;
   * Discord limits edits of messages older than an hour, and the thread has the board).
   */
  boolean show(
      ChatPlatform p, ConversationStore.Conversation c, TaskInstance task, boolean bestEffort) {
    ApprovalRequest r = requests.find(c.requestId()).orElse(null);
    if (r == null) {
      return false;
    }
    ChatMessage card = render(p, r, task, c.requesterMention());
    if (card.equals(shown.get(c.requestId()))) {
      return false;
    }
    // the card was posted with its request: past the platform's edit window it stays as it is
    if (!p.canEditMessagesOlderThan(Duration.between(r.createTime(), OffsetDateTime.now(clock)))) {
      shown.put(c.requestId(), card);
      return false;
    }
    try {
      Platforms.edit(p, c.card(), card);
    } catch (ChatPlatformException e) {
      if (!bestEffort) {
        throw e;
      }
      log.info("request {}: card not updated: {}", c.requestId(), e.getMessage());
      shown.put(c.requestId(), card);
      return false;
    }
    shown.put(c.requestId(), card);
    return true;
  }

  /** Remembers what a freshly posted card shows. */
  void posted(long requestId, ChatMessage card) {
    shown.put(requestId, card);
  }

  /** The platform's mentions of the principals it knows (its own surface's), in order. */
  static List<String> mentions(ChatPlatform p, List<String> principals) {
    String own = p.surface().wire();
    List<String> out = new ArrayList<>();
    for (String principal : principals) {
      if (!principal.startsWith(own)) {
        continue;
      }
      String m = principal.contains("-role:") ? p.mentionRole(principal) : p.mentionUser(principal);
      if (m != null && !m.isBlank()) {
        out.add(m);
      }
    }
    return out;
  }

  private String notify(ChatPlatform p) {
    String role = properties.approverRole();
    return role == null || role.isBlank() ? "" : p.mentionRole(role);
  }
}

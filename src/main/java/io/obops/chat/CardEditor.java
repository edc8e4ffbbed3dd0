package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.operations.ApprovalOperations;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders an approval card as its request and task stand now (see {@link Rendering#card}): the
 * outbox posts and edits cards with it at delivery, so a card goes PENDING → APPROVED → RUNNING k/n
 * → STOPPED ✓ in place. Which sections the card carries beyond the request (a pre-flight plan)
 * comes from {@link CardSections}.
 */
final class CardEditor {

  /** Extra sections of a card, below its reason; none by default. */
  interface CardSections {
    List<ChatMessage.Field> of(ApprovalRequest request);
  }

  private final ApprovalOperations approvals;
  private final TaskClient tasks;
  private final ServerNames serverNames;
  private final Rendering rendering;
  private final ChatProperties properties;
  private final CardSections sections;
  private final Clock clock;

  CardEditor(
      ApprovalOperations approvals,
      TaskClient tasks,
      ServerNames serverNames,
      Rendering rendering,
      ChatProperties properties,
      CardSections sections,
      Clock clock) {
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

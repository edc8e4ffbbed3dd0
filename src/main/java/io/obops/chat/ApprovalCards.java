package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval card of a request and its thread: posted when the request is made in chat, and
 * re-rendered once when the request closes (decided in chat or over REST, expired by the sweep),
 * with one line in the thread; an approved request's task is then reported there.
 */
final class ApprovalCards {

  private static final Logger log = LoggerFactory.getLogger(ApprovalCards.class);

  private final ApprovalRequests requests;
  private final ConversationStore store;
  private final Rendering rendering;
  private final Platforms platforms;
  private final ProgressReporter progress;
  private final CardEditor editor;

  ApprovalCards(
      ApprovalRequests requests,
      ConversationStore store,
      Rendering rendering,
      Platforms platforms,
      ProgressReporter progress,
      CardEditor editor) {
    this.requests = requests;
    this.store = store;
    this.rendering = rendering;
    this.platforms = platforms;
    this.progress = progress;
    this.editor = editor;
  }

  /** Posts the card of a new request in {@code channel}, opens its thread, remembers both. */
  void post(ChatPlatform platform, ChannelRef channel, ChatUser requester, ApprovalRequest r) {
    String mention = requester.mention();
    ChatMessage shown = editor.render(platform, r, null, mention);
    MessageRef card = Platforms.post(platform, channel, shown);
    editor.posted(r.id(), shown);
    ChannelRef thread =
        platform.openThread(
            card,
            Character.toUpperCase(r.verb().charAt(0))
                + r.verb().substring(1)
                + " "
                + r.cluster().name()
                + " — request #"
                + r.id());
    store.insert(r.id(), platform.surface(), channel, card, thread, mention);
    requests.setChatRefs(
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
                + " goes in this thread: the decision, then the progress of task "
                + r.taskId()
                + "."));
    postPlanFile(platform, thread, r);
  }

  /**
   * Re-renders a PENDING request's card with its latest pre-flight plan (after a Refresh), and
   * posts the full plan in its thread when the card cannot show every server. Never throws.
   */
  void showPlan(long requestId) {
    try {
      ConversationStore.Conversation c = store.find(requestId).orElse(null);
      ApprovalRequest r = requests.find(requestId).orElse(null);
      ChatPlatform p = c == null ? null : platforms.get(c.surface()).orElse(null);
      if (r == null || p == null || r.state() != ApprovalState.PENDING) {
        refresh(requestId);
        return;
      }
      editor.show(p, c, null, false);
      postPlanFile(p, c.thread(), r);
    } catch (RuntimeException e) {
      log.warn("request {}: plan not shown: {}", requestId, e.toString());
    }
  }

  private void postPlanFile(ChatPlatform platform, ChannelRef thread, ApprovalRequest r) {
    if (r.plan() == null || !PlanRendering.needsFile(r.id(), r.plan())) {
      return;
    }
    platform.postFile(
        thread,
        "Pre-flight plan v"
            + r.plan().version()
            + " of request #"
            + r.id()
            + ": "
            + r.plan().summary(),
        PlanRendering.fileName(r.id(), r.plan()),
        "text/plain",
        PlanRendering.file(r.id(), r.plan(), rendering::time));
  }

  /** Re-renders every card still showing PENDING whose request closed; returns the edits made. */
  int refreshPending() {
    int calls = 0;
    for (ConversationStore.Conversation c : store.pendingCards()) {
      calls += refresh(c.requestId()) ? 1 : 0;
    }
    return calls;
  }

  /** Edits the card if its request's state changed; never throws (logs instead). */
  boolean refresh(long requestId) {
    try {
      return refreshNow(requestId);
    } catch (RuntimeException e) {
      log.warn("request {}: card not refreshed: {}", requestId, e.toString());
      return false;
    }
  }

  private boolean refreshNow(long requestId) {
    ConversationStore.Conversation c = store.find(requestId).orElse(null);
    ApprovalRequest r = requests.find(requestId).orElse(null);
    if (c == null || r == null || r.state().name().equals(c.cardState())) {
      return false;
    }
    ChatPlatform p = platforms.get(c.surface()).orElse(null);
    if (p == null) {
      return false;
    }
    editor.show(p, c, null, false);
    if (!store.moveCard(requestId, c.cardState(), r.state().name())) {
      return true;
    }
    String line = rendering.decision(r);
    if (r.state() == ApprovalState.APPROVED && r.taskId() != null) {
      store.setTask(requestId, r.taskId());
      Platforms.post(
          p,
          c.thread(),
          ChatMessage.text(
              line + ". " + c.requesterMention() + " the " + r.verb() + " is running."));
      progress.track(requestId, r.taskId());
    } else {
      Platforms.post(
          p,
          c.thread(),
          ChatMessage.text(
              line + "." + (r.taskId() == null ? "" : " Task " + r.taskId() + " never runs.")));
    }
    return true;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

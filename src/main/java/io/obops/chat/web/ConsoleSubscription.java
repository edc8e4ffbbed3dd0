package io.obops.chat.web;

import io.obops.access.Actor;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One page's live stream: every post and edit of the console is offered, and only those about a
 * cluster the actor may view are sent. A message whose cluster is not known yet (a card is posted a
 * moment before its conversation row is written) waits and is looked at again with each later
 * message; at most {@link #MAX_WAITING} wait, the oldest is dropped unseen.
 */
final class ConsoleSubscription implements Consumer<WebChatPlatform.WebMessage> {

  static final int MAX_WAITING = 100;

  private final Actor actor;
  private final SseEmitter emitter;
  private final MessageScopes scopes;
  private final ClusterVisibility visibility;
  private final LinkedHashMap<Long, WebChatPlatform.WebMessage> waiting = new LinkedHashMap<>();
  private Runnable onGone = () -> {};
  private boolean gone;

  ConsoleSubscription(
      Actor actor, SseEmitter emitter, MessageScopes scopes, ClusterVisibility visibility) {
    this.actor = actor;
    this.emitter = emitter;
    this.scopes = scopes;
    this.visibility = visibility;
  }

  /** What to do once the page is gone (its connection broke): stop offering it messages. */
  synchronized void onGone(Runnable action) {
    this.onGone = action;
  }

  @Override
  public synchronized void accept(WebChatPlatform.WebMessage message) {
    if (gone) {
      return;
    }
    waiting.remove(message.id()); // an edit replaces the version still waiting
    waiting.put(message.id(), message);
    while (waiting.size() > MAX_WAITING) {
      waiting.remove(waiting.keySet().iterator().next());
    }
    Map<Long, Long> clusters = scopes.clusters(waiting.values());
    Iterator<WebChatPlatform.WebMessage> it = waiting.values().iterator();
    while (it.hasNext()) {
      WebChatPlatform.WebMessage m = it.next();
      Long cluster = clusters.get(m.id());
      if (cluster == null) {
        continue;
      }
      it.remove();
      if (visibility.mayView(actor, cluster) && !send(m)) {
        return;
      }
    }
  }

  /**
   * Sends one message; false when the page is gone (a closed tab, a page that switched identity).
   * The servlet container reports the broken connection to the emitter itself, so nothing else is
   * done here but to stop listening.
   */
  private boolean send(WebChatPlatform.WebMessage m) {
    try {
      emitter.send(SseEmitter.event().name("message").data(m, MediaType.APPLICATION_JSON));
      return true;
    } catch (IOException | IllegalStateException e) {
      gone = true;
      waiting.clear();
      onGone.run();
      return false;
    }
  }
}

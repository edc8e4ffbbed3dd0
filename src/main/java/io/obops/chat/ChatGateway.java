package io.obops.chat;

import java.util.List;

/**
 * What a chat adapter calls: the core's side of the conversation. One gateway is bound to one
 * {@link ChatPlatform} (get it from {@link ChatCore#connect}), so the core knows the surface and
 * where to post.
 *
 * <p>Threading: every method may be called from any thread, concurrently; each runs its database
 * work and platform calls (posting the approval card, opening its thread) on the calling thread and
 * returns when done, typically within tens of milliseconds, at worst as long as the platform calls
 * take. Discord adapters should therefore acknowledge (defer) the interaction first and send the
 * reply as the follow-up. Methods never throw for a person's mistake or a refusal: those come back
 * as an ephemeral {@link ChatReply} that says what to do; they throw only on bugs or a database
 * outage.
 */
public interface ChatGateway {

  /**
   * A {@code /obcluster} command: {@code stop id:<cluster> reason:<text>} (asks for approval, posts
   * the approval card in {@code channel} and opens its thread), {@code status id:<cluster>}, {@code
   * list}, {@code task id:<task id>}. A cluster is its id or its name. The reply goes to the user
   * who typed the command.
   */
  ChatReply onCommand(ChatUser user, ChannelRef channel, ChatCommand command);

  /**
   * A click on a button the core posted, its id a {@link ComponentId} ({@code
   * obops:approve:<requestId>}, {@code obops:retry:<taskId>:<subtaskId>}, ...). Every click is
   * checked on the server: a refused or stale click gets an ephemeral reason; an accepted one edits
   * the card itself (through the platform) and replies ephemerally to the clicker. Works for
   * buttons posted before a restart.
   */
  default ChatReply onButton(ChatUser user, ChannelRef channel, String buttonId) {
    return onButton(user, channel, buttonId, null);
  }

  /**
   * A click with a comment typed with it: a Reject's reason (Discord asks for it in a modal, the
   * console in a field). Other buttons ignore the comment.
   */
  ChatReply onButton(ChatUser user, ChannelRef channel, String buttonId, String comment);

  /**
   * Clusters for the {@code id} option: clusters the user may view whose id starts with, or name
   * contains, {@code partial}; value the id, label "id — name", at most 25 (Discord's limit). A
   * cluster the user may not view is never suggested (its name is not revealed).
   */
  List<Choice> autocompleteClusterId(ChatUser user, String partial);
}

package io.obops.chat;

import io.obops.access.Actor;
import io.obops.core.Refused;
import io.obops.operations.ClusterOperations;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat core that adapters connect to ({@link ChatCore}): every platform gets a gateway bound to
 * its surface, which hands commands to {@link ChatCommands} and clicks to {@link ChatButtons}, and
 * words the core's refusals with {@link ChatRefusals}. {@link #report} records what changed in
 * stored state (cards, progress) as outbox rows; {@link #deliver} delivers the outbox through the
 * platforms connected here (the {@code chat-outbox} routine hands the same work to the outbox's
 * workers without waiting); after a command or a click the gateway delivers at once, waiting for it
 * a bounded time. Decisions are the operations layer's; this class only routes.
 */
public final class ChatService implements ChatCore {

  private static final Logger log = LoggerFactory.getLogger(ChatService.class);

  /** How long a command's or a click's answer waits for the delivery it caused. */
  static final Duration AFTER_COMMAND = Duration.ofSeconds(10);

  private final ChatCommands commands;
  private final ChatButtons buttons;
  private final ChatRefusals refusals;
  private final ClusterOperations clusters;
  private final ApprovalCards cards;
  private final ProgressReporter progress;
  private final Platforms platforms;
  private final OutboxSender sender;
  private final ApprovalReminders reminders;

  ChatService(
      ChatCommands commands,
      ChatButtons buttons,
      ChatRefusals refusals,
      ClusterOperations clusters,
      ApprovalCards cards,
      ProgressReporter progress,
      Platforms platforms,
      OutboxSender sender,
      ApprovalReminders reminders) {
    this.commands = commands;
    this.buttons = buttons;
    this.refusals = refusals;
    this.clusters = clusters;
    this.cards = cards;
    this.progress = progress;
    this.platforms = platforms;
    this.sender = sender;
    this.reminders = reminders;
  }

  @Override
  public ChatGateway connect(ChatPlatform platform) {
    platforms.put(platform);
    log.info("chat: {} connected", platform.surface().wire());
    return new Gateway(platform);
  }

  @Override
  public void disconnect(ChatPlatform platform) {
    platforms.remove(platform);
    log.info("chat: {} disconnected", platform.surface().wire());
  }

  /**
   * Records what changed: the edit of cards whose request closed (decided anywhere, expired), a
   * reminder in the thread of requests waiting past half their time to live, and the progress of
   * tasks whose version moved; returns how many cards, reminders and tasks it recorded.
   */
  public int report() {
    return cards.refreshPending() + reminders.runDue() + progress.tick();
  }

  /**
   * Delivers the outbox rows due on the platforms connected here, each conversation on its own
   * worker, and returns once every conversation that had due rows was worked; returns how many rows
   * it delivered.
   */
  public int deliver() {
    return sender.deliverDue();
  }

  /** {@link #report} then {@link #deliver} (tests drive the chat with it). */
  public int tick() {
    return report() + deliver();
  }

  /**
   * After a command or a click: delivers what is due (the new card, the decision's edit), waiting
   * at most {@link #AFTER_COMMAND} so that the answer never waits long behind a busy conversation;
   * the rest goes on without the caller.
   */
  private void deliverQuietly() {
    try {
      sender.deliverDue(AFTER_COMMAND);
    } catch (RuntimeException e) {
      log.warn(
          "chat: delivery after a command failed; the outbox routine retries: {}", e.toString());
    }
  }

  /** The gateway of one platform. */
  private final class Gateway implements ChatGateway {

    private final ChatPlatform platform;

    Gateway(ChatPlatform platform) {
      this.platform = platform;
    }

    @Override
    public ChatReply onCommand(ChatUser user, ChannelRef channel, ChatCommand command) {
      try {
        return commands.run(platform, user, channel, command);
      } catch (Refused e) {
        return ChatReply.ephemeral(refusals.sentence(e.refusal()));
      } catch (ChatCommands.Usage e) {
        return ChatReply.ephemeral(e.getMessage());
      } finally {
        deliverQuietly();
      }
    }

    @Override
    public ChatReply onButton(ChatUser user, ChannelRef channel, String buttonId, String comment) {
      try {
        return buttons.click(platform, user, buttonId, comment);
      } catch (Refused e) {
        return ChatReply.ephemeral(refusals.sentence(e.refusal()));
      } finally {
        deliverQuietly();
      }
    }

    @Override
    public List<Choice> autocompleteClusterId(ChatUser user, String partial) {
      Actor actor = user.actor(platform.surface());
      return clusters.suggest(actor, partial).stream()
          .map(c -> new Choice(String.valueOf(c.id()), c.id() + " — " + c.name()))
          .toList();
    }
  }
}

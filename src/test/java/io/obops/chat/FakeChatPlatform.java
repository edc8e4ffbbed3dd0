package io.obops.chat;

import io.obops.access.Surface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory chat platform (the platform side of the seam, not the core): messages by reference,
 * channels as lists, threads as channels named after their message, edits counted. Two instances
 * can share one {@link World} to play a restarted obops talking to the same chat.
 *
 * <p>Threading: thread-safe, as the core needs (the outbox delivers conversations on several
 * workers): every call that changes the world holds the world's lock, so instances sharing a world
 * (two replicas) see one order and one answer per nonce.
 */
final class FakeChatPlatform implements ChatPlatform {

  /** The chat's own state, shared across "restarts". */
  static final class World {
    final Map<String, ChatMessage> messages = new ConcurrentHashMap<>();
    final Map<String, String> channelOf = new ConcurrentHashMap<>();
    final Map<String, List<String>> channels = new ConcurrentHashMap<>();
    final Map<String, Integer> edits = new ConcurrentHashMap<>();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** nonce → the message a create with it made (Discord's enforce_nonce). */
    final Map<String, String> nonces = new ConcurrentHashMap<>();

    final AtomicInteger ids = new AtomicInteger();

    synchronized List<String> in(String channel) {
      return List.copyOf(channels.getOrDefault(channel, List.of()));
    }

    /** The texts in a channel, oldest first. */
    List<String> texts(String channel) {
      return in(channel).stream().map(ref -> messages.get(ref).text()).toList();
    }
  }

  final World world;
  private final Surface surface;
  volatile Duration editWindow = Duration.ofDays(365);

  /** How many of the next posts fail, as a platform outage would. */
  final AtomicInteger failingPosts = new AtomicInteger();

  /**
   * How many of the next posts with a nonce are made but answered with an error, as when the
   * connection drops after the platform posted (the caller cannot know it was posted).
   */
  final AtomicInteger lostConfirmations = new AtomicInteger();

  /** Whether files can be posted (false: refused, as without Attach Files). */
  volatile boolean filesAllowed = true;

  FakeChatPlatform(World world, Surface surface) {
    this.world = world;
    this.surface = surface;
  }

  @Override
  public Surface surface() {
    return surface;
  }

  @Override
  public MessageRef post(ChannelRef channel, ChatMessage message) {
    synchronized (world) {
      return postLocked(channel, message);
    }
  }

  private MessageRef postLocked(ChannelRef channel, ChatMessage message) {
    if (failingPosts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new ChatPlatformException("platform unavailable", false);
    }
    String ref = "m" + world.ids.incrementAndGet();
    world.messages.put(ref, message);
    world.channelOf.put(ref, channel.value());
    world.channels.computeIfAbsent(channel.value(), c -> new ArrayList<>()).add(ref);
    return new MessageRef(ref);
  }

  @Override
  public MessageRef post(ChannelRef channel, ChatMessage message, String nonce) {
    synchronized (world) {
      String earlier = world.nonces.get(nonce);
      if (earlier != null) {
        return new MessageRef(earlier);
      }
      MessageRef ref = postLocked(channel, message);
      world.nonces.put(nonce, ref.value());
      if (lostConfirmations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new ChatPlatformException("connection reset after posting", false);
      }
      return ref;
    }
  }

  @Override
  public MessageRef postFile(
      ChannelRef channel,
      String text,
      String fileName,
      String contentType,
      byte[] content,
      String nonce) {
    if (!filesAllowed) {
      throw new ChatPlatformException("Missing Permissions (Attach Files)", false);
    }
    synchronized (world) {
      MessageRef ref = post(channel, ChatMessage.text(text + " [" + fileName + "]"), nonce);
      world.files.put(fileName, content);
      return ref;
    }
  }

  @Override
  public void edit(MessageRef target, ChatMessage message) {
    synchronized (world) {
      if (!world.messages.containsKey(target.value())) {
        throw new ChatPlatformException("unknown message " + target, true);
      }
      world.messages.put(target.value(), message);
      world.edits.merge(target.value(), 1, Integer::sum);
    }
  }

  @Override
  public ChannelRef openThread(MessageRef message, String title) {
    return new ChannelRef("thread:" + message.value());
  }

  @Override
  public MessageRef postFile(
      ChannelRef channel, String text, String fileName, String contentType, byte[] content) {
    synchronized (world) {
      MessageRef ref = post(channel, ChatMessage.text(text + " [" + fileName + "]"));
      world.files.put(fileName, content);
      return ref;
    }
  }

  @Override
  public String mentionUser(String principal) {
    return "@" + principal;
  }

  @Override
  public String mentionRole(String rolePrincipal) {
    return "@&" + rolePrincipal;
  }

  @Override
  public int maxMessageLength() {
    return 2000;
  }

  @Override
  public boolean canEditMessagesOlderThan(Duration age) {
    return age.compareTo(editWindow) < 0;
  }
}

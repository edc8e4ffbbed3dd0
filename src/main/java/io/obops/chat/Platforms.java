package io.obops.chat;

import io.obops.access.Surface;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The connected platforms by surface; posts cut to each platform's length limit. */
final class Platforms {

  private final Map<Surface, ChatPlatform> bySurface = new ConcurrentHashMap<>();

  void put(ChatPlatform platform) {
    bySurface.put(platform.surface(), platform);
  }

  /** Forgets {@code platform} if it is still the one connected for its surface. */
  void remove(ChatPlatform platform) {
    bySurface.remove(platform.surface(), platform);
  }

  /** The surfaces connected here. */
  java.util.Set<Surface> surfaces() {
    return java.util.Set.copyOf(bySurface.keySet());
  }

  Optional<ChatPlatform> get(Surface surface) {
    return Optional.ofNullable(bySurface.get(surface));
  }

  static MessageRef post(ChatPlatform p, ChannelRef channel, ChatMessage m) {
    return p.post(channel, fit(p, m));
  }

  static void edit(ChatPlatform p, MessageRef target, ChatMessage m) {
    p.edit(target, fit(p, m));
  }

  private static ChatMessage fit(ChatPlatform p, ChatMessage m) {
    return new ChatMessage(Rendering.fit(m.text(), p.maxMessageLength()), m.card(), m.buttons());
  }
}

package io.obops.chat;

/**
 * Where adapters plug in. {@link #connect} registers a platform for its surface and returns the
 * gateway that the adapter calls with commands and clicks; conversations started on a surface are
 * reported (cards edited, progress posted) through that surface's platform.
 *
 * <p>Threading: {@link #connect} may be called at any time, from any thread, once per surface (a
 * second platform for the same surface replaces the first, e.g. after a gateway reconnect).
 */
public interface ChatCore {

  ChatGateway connect(ChatPlatform platform);

  /**
   * Unregisters a platform that stopped (its gateway closed, its lease lost): the outbox keeps its
   * surface's messages until a platform for it connects here or on another replica.
   */
  default void disconnect(ChatPlatform platform) {}
}

package io.obops.chat;

/**
 * A platform call that failed for good (after the adapter's own retries). {@code gone} says the
 * target (message, channel) no longer exists, so the core should post anew instead of editing.
 */
public class ChatPlatformException extends RuntimeException {

  private final boolean gone;

  public ChatPlatformException(String message, boolean gone, Throwable cause) {
    super(message, cause);
    this.gone = gone;
  }

  public ChatPlatformException(String message, boolean gone) {
    this(message, gone, null);
  }

  public boolean gone() {
    return gone;
  }
}

package io.obops.chat;

/**
 * A platform call that failed for good (after the adapter's own retries). {@code gone} says the
 * target (message, channel) no longer exists, so the core should post anew instead of editing;
 * {@code refused} says the platform refused the bot itself (missing access or permission), which
 * trying again will not change until someone fixes the bot's permissions.
 */
public class ChatPlatformException extends RuntimeException {

  private final boolean gone;
  private final boolean refused;

  public ChatPlatformException(String message, boolean gone, boolean refused, Throwable cause) {
    super(message, cause);
    this.gone = gone;
    this.refused = refused;
  }

  public ChatPlatformException(String message, boolean gone, Throwable cause) {
    this(message, gone, false, cause);
  }

  public ChatPlatformException(String message, boolean gone) {
    this(message, gone, null);
  }

  public boolean gone() {
    return gone;
  }

  public boolean refused() {
    return refused;
  }
}

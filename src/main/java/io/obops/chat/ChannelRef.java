package io.obops.chat;

import java.util.Objects;

/**
 * An opaque reference to a place messages go: a channel, or a thread opened on a message. The
 * platform makes it and understands it; the core only stores it (as {@link #value()}) and hands it
 * back, so it must survive a restart.
 */
public record ChannelRef(String value) {

  public ChannelRef {
    Objects.requireNonNull(value, "value");
    if (value.isBlank() || value.length() > 200) {
      throw new IllegalArgumentException("a channel reference has 1 to 200 characters");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}

package io.obops.chat;

import java.util.Objects;

/**
 * An opaque reference to a posted message, made by the platform and stored by the core (as {@link
 * #value()}) so a board or a card can be edited after a restart.
 */
public record MessageRef(String value) {

  public MessageRef {
    Objects.requireNonNull(value, "value");
    if (value.isBlank() || value.length() > 200) {
      throw new IllegalArgumentException("a message reference has 1 to 200 characters");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}

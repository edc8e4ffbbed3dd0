package io.obops.chat;

import java.util.Objects;

/**
 * A button on a message. {@code id} is what the platform hands back to {@link ChatGateway#onButton}
 * when it is clicked: {@code obops:<verb>:<args>}, at most 100 characters (Discord's custom-id
 * limit), never a secret. A disabled button is shown greyed out.
 */
public record Button(String id, String label, Style style, boolean disabled) {

  /** How the button looks; a platform without styles shows them all alike. */
  public enum Style {
    PRIMARY,
    SUCCESS,
    DANGER,
    SECONDARY
  }

  public Button {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(style, "style");
    if (id.length() > 100) {
      throw new IllegalArgumentException("a button id has at most 100 characters: " + id);
    }
  }

  public Button disable() {
    return new Button(id, label, style, true);
  }
}

package io.obops.chat;

import java.util.List;
import java.util.Objects;

/**
 * What the core posts or edits: text (plain, with {@code **bold**} and {@code `code`} allowed; the
 * platform renders or strips them), an optional card (title, colour and fields: Discord renders an
 * embed), and buttons in one row.
 *
 * @param text the message body; may be empty when there is a card
 * @param card null for a plain message
 * @param buttons at most 5 (one Discord action row)
 */
public record ChatMessage(String text, Card card, List<Button> buttons) {

  /** A card: a titled box of fields, like an embed. */
  public record Card(String title, Colour colour, List<Field> fields, String footer) {
    public Card {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(colour, "colour");
      fields = List.copyOf(fields);
    }
  }

  /** One named value on a card; {@code inline} fields may share a line. */
  public record Field(String name, String value, boolean inline) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** The card's accent: pending, success, failure, neutral. */
  public enum Colour {
    PENDING,
    SUCCESS,
    FAILURE,
    NEUTRAL
  }

  public ChatMessage {
    text = text == null ? "" : text;
    buttons = List.copyOf(buttons);
    if (buttons.size() > 5) {
      throw new IllegalArgumentException("at most 5 buttons per message");
    }
  }

  public static ChatMessage text(String text) {
    return new ChatMessage(text, null, List.of());
  }
}

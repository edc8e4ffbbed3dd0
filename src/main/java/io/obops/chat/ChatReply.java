package io.obops.chat;

import java.util.List;

/**
 * The answer to a command or a click, shown to the person who acted. {@code ephemeral} replies are
 * seen only by them (Discord: an ephemeral interaction response; the web console: a private line);
 * refusals are always ephemeral and say what to do next.
 */
public record ChatReply(ChatMessage message, boolean ephemeral) {

  public static ChatReply ephemeral(String text) {
    return new ChatReply(ChatMessage.text(text), true);
  }

  public static ChatReply visible(ChatMessage message) {
    return new ChatReply(message, false);
  }

  public String text() {
    return message.text();
  }

  public List<Button> buttons() {
    return message.buttons();
  }
}

package io.obops.chat.discord;

import io.obops.chat.Button;
import io.obops.chat.ChatMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.ButtonStyle;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/**
 * Renders a {@link ChatMessage} for Discord: text as content (cut at 2000), the card as one embed
 * (title, accent colour, fields, footer; every Discord embed limit respected), buttons as one
 * action row. Edits replace the whole message, so a card or buttons that went away disappear.
 *
 * <p>Allowed mentions: nothing pings (no {@code @everyone}/{@code @here}, no user, no role) except
 * the roles passed in, i.e. the approver role on a new card, so text from reasons, comments or
 * remote output can never notify anyone.
 */
final class DiscordMessages {

  static final int MAX_CONTENT = 2000;
  private static final int EMBED_TOTAL = 6000;

  private DiscordMessages() {}

  static MessageCreateData create(ChatMessage message, String prefix) {
    return create(message, prefix, List.of());
  }

  /**
   * As {@link #create(ChatMessage, String)}, letting the given role ids (and nothing else) ping.
   */
  static MessageCreateData create(
      ChatMessage message, String prefix, Collection<String> pingableRoleIds) {
    MessageCreateBuilder b = new MessageCreateBuilder();
    b.setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
    if (!pingableRoleIds.isEmpty()) {
      b.mentionRoles(pingableRoleIds);
    }
    b.setContent(cut(prefix + message.text(), MAX_CONTENT));
    if (message.card() != null) {
      b.setEmbeds(embed(message.card()));
    }
    if (!message.buttons().isEmpty()) {
      b.setComponents(row(message.buttons()));
    }
    return b.build();
  }

  static MessageEditData edit(ChatMessage message, String prefix) {
    MessageEditBuilder b = new MessageEditBuilder();
    b.setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
    b.setContent(cut(prefix + message.text(), MAX_CONTENT));
    b.setEmbeds(message.card() == null ? List.of() : List.of(embed(message.card())));
    b.setComponents(message.buttons().isEmpty() ? List.of() : List.of(row(message.buttons())));
    return b.build();
  }

  static ActionRow row(List<Button> buttons) {
    List<net.dv8tion.jda.api.components.buttons.Button> out = new ArrayList<>();
    for (Button b : buttons) {
      out.add(
          net.dv8tion.jda.api.components.buttons.Button.of(
                  style(b.style()), b.id(), cut(b.label(), 80))
              .withDisabled(b.disabled()));
    }
    return ActionRow.of(out);
  }

  private static ButtonStyle style(Button.Style style) {
    switch (style) {
      case SUCCESS:
        return ButtonStyle.SUCCESS;
      case DANGER:
        return ButtonStyle.DANGER;
      case SECONDARY:
        return ButtonStyle.SECONDARY;
      case PRIMARY:
      default:
        return ButtonStyle.PRIMARY;
    }
  }

  static MessageEmbed embed(ChatMessage.Card card) {
    EmbedBuilder e = new EmbedBuilder();
    int budget = EMBED_TOTAL;
    String title = cut(card.title(), MessageEmbed.TITLE_MAX_LENGTH);
    e.setTitle(title);
    budget -= title.length();
    e.setColor(colour(card.colour()));
    if (card.footer() != null && !card.footer().isBlank()) {
      String footer = cut(card.footer(), Math.min(MessageEmbed.TEXT_MAX_LENGTH, budget));
      e.setFooter(footer);
      budget -= footer.length();
    }
    int count = 0;
    for (ChatMessage.Field f : card.fields()) {
      if (count == 25) {
        break;
      }
      String name = cut(f.name().isBlank() ? "\u200b" : f.name(), MessageEmbed.TITLE_MAX_LENGTH);
      String value = cut(f.value().isBlank() ? "\u200b" : f.value(), MessageEmbed.VALUE_MAX_LENGTH);
      if (name.length() + value.length() > budget - 1) {
        int room = budget - 1 - name.length();
        if (room < 8) {
          break;
        }
        value = cut(value, room);
      }
      e.addField(name, value, f.inline());
      budget -= name.length() + value.length();
      count++;
    }
    return e.build();
  }

  private static int colour(ChatMessage.Colour colour) {
    switch (colour) {
      case PENDING:
        return 0xF1C40F;
      case SUCCESS:
        return 0x2ECC71;
      case FAILURE:
        return 0xE74C3C;
      case NEUTRAL:
      default:
        return 0x95A5A6;
    }
  }

  static String cut(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
  }
}

package io.obops.chat.discord;

import io.obops.chat.ChannelRef;
import io.obops.chat.ChatCommand;
import io.obops.chat.ChatGateway;
import io.obops.chat.ChatPlatform;
import io.obops.chat.ChatReply;
import io.obops.chat.ChatUser;
import io.obops.chat.Choice;
import io.obops.chat.ComponentId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.components.label.Label;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.textinput.TextInputStyle;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.modals.ModalMapping;
import net.dv8tion.jda.api.modals.Modal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JDA listener; it routes {@code /obcluster}, its autocomplete and {@code obops:} button
 * clicks to the core's {@link ChatGateway}.
 *
 * <p>Discord's 3-second rule: on JDA's event thread it only acknowledges ({@code deferReply}, an
 * ephemeral "thinking…"), then runs the core call on its own workers, so a slow database or a
 * rate-limited post of the approval card never makes an interaction fail. The person who acted sees
 * the core's answer in that ephemeral response (refusals included); a reply the core marks visible
 * is posted in the channel instead. The member's identity and roles come from the interaction
 * payload Discord signed for this very interaction ({@code discord-user:<id>}, {@code
 * discord-role:<id>}).
 */
final class DiscordListener extends ListenerAdapter {

  private static final Logger log = LoggerFactory.getLogger(DiscordListener.class);

  private final Supplier<ChatGateway> gateway;
  private final ChatPlatform platform;
  private final DiscordProperties properties;
  private final Executor workers;

  DiscordListener(
      Supplier<ChatGateway> gateway,
      ChatPlatform platform,
      DiscordProperties properties,
      Executor workers) {
    this.gateway = gateway;
    this.platform = platform;
    this.properties = properties;
    this.workers = workers;
  }

  @Override
  public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
    if (!ObclusterCommand.NAME.equals(event.getName())) {
      return;
    }
    Member member = event.getMember();
    if (member == null) {
      event.reply("Use /obcluster in a server channel.").setEphemeral(true).queue();
      return;
    }
    MessageChannel channel = event.getChannel();
    if (!properties.acceptsCommandsIn(channel.getIdLong(), parentOf(channel))) {
      event
          .reply(
              "/obcluster is not accepted in this channel; use it in "
                  + properties.commandChannels().stream()
                      .map(id -> "<#" + id + ">")
                      .collect(Collectors.joining(", ")))
          .setEphemeral(true)
          .queue();
      return;
    }
    event.deferReply(true).queue();
    ChatUser user = user(member);
    ChannelRef where = DiscordRefs.channel(channel.getIdLong());
    Map<String, String> options = new LinkedHashMap<>();
    for (OptionMapping o : event.getOptions()) {
      options.put(o.getName(), o.getAsString());
    }
    ChatCommand command = new ChatCommand(event.getSubcommandName(), options);
    InteractionHook hook = event.getHook();
    workers.execute(
        () ->
            answer(
                hook,
                where,
                () -> gateway.get().onCommand(user, where, command),
                "/obcluster " + command.subcommand()));
  }

  @Override
  public void onButtonInteraction(ButtonInteractionEvent event) {
    String id = event.getComponentId();
    if (!ComponentId.isOurs(id)) {
      return;
    }
    Member member = event.getMember();
    if (member == null) {
      event.reply("This button works only in a server channel.").setEphemeral(true).queue();
      return;
    }
    var decoded = ComponentId.decode(id);
    if (decoded.isPresent() && decoded.get().action() == ComponentId.Action.REJECT) {
      // a reject asks why first; the modal's submission carries the button's id and the comment
      event.replyModal(rejectModal(id, decoded.get().request())).queue();
      return;
    }
    event.deferReply(true).queue();
    ChatUser user = user(member);
    ChannelRef where = DiscordRefs.channel(event.getChannel().getIdLong());
    InteractionHook hook = event.getHook();
    workers.execute(
        () -> answer(hook, where, () -> gateway.get().onButton(user, where, id), "button " + id));
  }

  /** The Reject dialog: one optional comment, shown on the card. */
  static Modal rejectModal(String componentId, long request) {
    return Modal.create(componentId, "Reject request #" + request)
        .addComponents(
            Label.of(
                "Why? (optional, shown on the card)",
                TextInput.create(REJECT_COMMENT, TextInputStyle.PARAGRAPH)
                    .setRequired(false)
                    .setMaxLength(1000)
                    .build()))
        .build();
  }

  static final String REJECT_COMMENT = "comment";

  @Override
  public void onModalInteraction(ModalInteractionEvent event) {
    String id = event.getModalId();
    if (!ComponentId.isOurs(id)) {
      return;
    }
    Member member = event.getMember();
    if (member == null) {
      event.reply("This button works only in a server channel.").setEphemeral(true).queue();
      return;
    }
    event.deferReply(true).queue();
    ChatUser user = user(member);
    ChannelRef where = DiscordRefs.channel(event.getChannel().getIdLong());
    ModalMapping value = event.getValue(REJECT_COMMENT);
    String comment = value == null ? null : value.getAsString();
    InteractionHook hook = event.getHook();
    workers.execute(
        () ->
            answer(
                hook,
                where,
                () -> gateway.get().onButton(user, where, id, comment),
                "button " + id));
  }

  @Override
  public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
    if (!ObclusterCommand.NAME.equals(event.getName())
        || !"id".equals(event.getFocusedOption().getName())
        || "task".equals(event.getSubcommandName())) {
      return;
    }
    String typed = event.getFocusedOption().getValue();
    Member member = event.getMember();
    if (member == null) {
      event.replyChoices(List.of()).queue(ok -> {}, e -> log.debug("no choices delivered", e));
      return;
    }
    ChatUser user = user(member);
    workers.execute(
        () -> {
          List<Command.Choice> choices;
          try {
            choices =
                gateway.get().autocompleteClusterId(user, typed).stream()
                    .limit(25)
                    .map(DiscordListener::choice)
                    .filter(c -> c != null)
                    .toList();
          } catch (RuntimeException e) {
            log.warn("autocomplete of cluster ids failed", e);
            choices = List.of();
          }
          event
              .replyChoices(choices)
              .queue(ok -> {}, e -> log.debug("autocomplete answer not delivered", e));
        });
  }

  private static Command.Choice choice(Choice c) {
    return new Command.Choice(DiscordMessages.cut(c.label(), 100), c.value());
  }

  private void answer(
      InteractionHook hook, ChannelRef where, Supplier<ChatReply> call, String what) {
    ChatReply reply;
    try {
      reply = call.get();
    } catch (RuntimeException e) {
      log.error("{} failed in the chat core", what, e);
      reply =
          ChatReply.ephemeral(
              "obops could not handle "
                  + what
                  + " (an internal error, logged). Try again; if it"
                  + " keeps failing, ask an obops administrator to check the logs.");
    }
    if (reply.ephemeral()) {
      hook.editOriginal(DiscordMessages.edit(reply.message(), ""))
          .queue(ok -> {}, e -> log.warn("could not deliver the answer to {}", what, e));
      return;
    }
    try {
      platform.post(where, reply.message());
      hook.deleteOriginal().queue(ok -> {}, e -> log.debug("could not remove 'thinking…'", e));
    } catch (RuntimeException e) {
      log.warn("could not post the answer to {} in {}", what, where, e);
      hook.editOriginal(DiscordMessages.edit(reply.message(), ""))
          .queue(ok -> {}, x -> log.warn("could not deliver the answer to {}", what, x));
    }
  }

  static ChatUser user(Member member) {
    return new ChatUser(
        "discord-user:" + member.getId(),
        member.getRoles().stream()
            .map(r -> "discord-role:" + r.getId())
            .collect(Collectors.toSet()),
        member.getEffectiveName(),
        member.getAsMention());
  }

  private static Long parentOf(MessageChannel channel) {
    return channel instanceof ThreadChannel t ? t.getParentChannel().getIdLong() : null;
  }
}

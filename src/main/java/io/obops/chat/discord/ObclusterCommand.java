package io.obops.chat.discord;

import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/** The {@code /obcluster} slash command as registered with Discord. */
final class ObclusterCommand {

  static final String NAME = "obcluster";

  private ObclusterCommand() {}

  static SlashCommandData definition() {
    return Commands.slash(NAME, "Operate OceanBase clusters")
        .setContexts(InteractionContextType.GUILD)
        .addSubcommands(
            new SubcommandData("stop", "Stop a cluster (a second person must approve)")
                .addOptions(
                    clusterId(),
                    new OptionData(OptionType.STRING, "reason", "Why stop it", false)
                        .setMaxLength(1000)),
            new SubcommandData("start", "Start a stopped cluster (a second person must approve)")
                .addOptions(
                    clusterId(),
                    new OptionData(OptionType.STRING, "reason", "Why start it", false)
                        .setMaxLength(1000)),
            new SubcommandData("status", "Show a cluster's zones, servers and status")
                .addOptions(clusterId()),
            new SubcommandData("list", "List the clusters"),
            new SubcommandData("task", "Show a task's progress")
                .addOptions(
                    new OptionData(OptionType.INTEGER, "id", "Task id", true).setMinValue(1)));
  }

  /**
   * A STRING option: Discord sends whatever was typed (a name, part of one, or an id) to
   * autocomplete, and a chosen suggestion as the cluster's id; the core accepts an id or a name.
   * (An INTEGER option would make Discord refuse or never send non-numeric input.)
   */
  private static OptionData clusterId() {
    return new OptionData(OptionType.STRING, "id", "Cluster name or id (type to search)", true)
        .setAutoComplete(true)
        .setMaxLength(100);
  }
}

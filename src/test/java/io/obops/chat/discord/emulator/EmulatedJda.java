package io.obops.chat.discord.emulator;

import java.util.EnumSet;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;

/** Real, unpatched JDA pointed at a {@link DiscordEmulator}. */
public final class EmulatedJda {

  private EmulatedJda() {}

  public static JDA connect(DiscordEmulator emu, String token, Object... listeners)
      throws InterruptedException {
    String gateway = emu.gatewayUrl();
    JDA jda =
        JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class))
            .setRestConfig(new RestConfig().setBaseUrl(emu.restBaseUrl()))
            .setSessionController(
                new SessionControllerAdapter() {
                  @Override
                  public String getGateway() {
                    return gateway;
                  }
                })
            .setCompression(Compression.NONE)
            .addEventListeners(listeners)
            .build();
    return jda.awaitReady();
  }
}

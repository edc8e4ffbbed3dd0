package io.obops.chat.discord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.Function;

/**
 * The bot token, read from a file or an environment variable. It is only ever handed to JDA: {@link
 * #toString} hides it, and errors name where it was looked for, never what was found.
 */
final class DiscordToken {

  private final String value;

  private DiscordToken(String value) {
    this.value = value;
  }

  static DiscordToken resolve(DiscordProperties properties, Function<String, String> env) {
    String token;
    if (properties.tokenFile() != null) {
      try {
        token =
            Files.readString(properties.tokenFile(), StandardCharsets.UTF_8)
                .strip()
                .split("\\R")[0];
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read the Discord bot token from obops.discord.token-file="
                + properties.tokenFile()
                + " ("
                + e.getClass().getSimpleName()
                + "); fix the path or its permissions, or unset it to use the environment"
                + " variable "
                + properties.tokenEnv());
      }
    } else {
      token = env.apply(properties.tokenEnv());
    }
    if (token == null || token.isBlank()) {
      throw new IllegalStateException(
          "obops.discord.enabled=true but no bot token was found: set the environment variable "
              + properties.tokenEnv()
              + " or obops.discord.token-file, or set obops.discord.enabled=false");
    }
    token = token.strip();
    if (token.startsWith("Bot ")) {
      token = token.substring(4);
    }
    return new DiscordToken(token);
  }

  String value() {
    return value;
  }

  @Override
  public String toString() {
    return "DiscordToken[hidden]";
  }
}

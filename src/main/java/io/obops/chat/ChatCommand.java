package io.obops.chat;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code /obcluster} command: its subcommand ({@code stop}, {@code start}, {@code status}, {@code
 * list}, {@code task}) and its options by name ({@code id}, {@code reason}). Discord builds it from
 * the slash command's options; a text surface (the web console) uses {@link #parse}.
 */
public record ChatCommand(String subcommand, Map<String, String> options) {

  public static final String STOP = "stop";
  public static final String START = "start";
  public static final String STATUS = "status";
  public static final String LIST = "list";
  public static final String TASK = "task";
  public static final String HELP = "help";

  private static final Pattern OPTION = Pattern.compile("(?:^|\\s)(id|reason):");

  public ChatCommand {
    subcommand = subcommand == null ? "" : subcommand.strip().toLowerCase(Locale.ROOT);
    options = Map.copyOf(options);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * Parses {@code /obcluster stop demo disk swap on zone1}, {@code /obcluster stop 1 reason:disk
   * swap} or {@code /obcluster stop id:1 reason:…}: the first bare word after the subcommand is the
   * cluster (or task id), the free text after it the reason; {@code reason:} takes the rest of its
   * segment (spaces included). The leading {@code /obcluster} is optional; nothing at all is {@code
   * help}.
   *
   * @throws IllegalArgumentException with a message saying how to write the command
   */
  public static ChatCommand parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.startsWith("/obcluster")) {
      s = s.substring("/obcluster".length()).strip();
    } else if (s.startsWith("/")) {
      throw new IllegalArgumentException(
          "unknown command " + s.split("\\s+")[0] + "; try /obcluster list");
    }
    if (s.isEmpty()) {
      return new ChatCommand(HELP, Map.of());
    }
    String[] head = s.split("\\s+", 2);
    String sub = head[0];
    String rest = head.length > 1 ? head[1] : "";
    Map<String, String> options = new LinkedHashMap<>();
    Matcher m = OPTION.matcher(rest);
    int firstOption = rest.length();
    String key = null;
    int valueStart = 0;
    while (m.find()) {
      if (key == null) {
        firstOption = m.start();
      } else {
        options.put(key, rest.substring(valueStart, m.start()).strip());
      }
      key = m.group(1);
      valueStart = m.end();
    }
    if (key != null) {
      options.put(key, rest.substring(valueStart).strip());
    }
    String bare = rest.substring(0, firstOption).strip();
    if (!bare.isEmpty()) {
      String[] words = bare.split("\\s+", 2);
      if (options.containsKey("id")) {
        throw new IllegalArgumentException(
            "unexpected '" + bare + "' before id:; write /obcluster " + sub + " <cluster> <why>");
      }
      options.put("id", words[0]);
      if (words.length > 1) {
        if (options.containsKey("reason")) {
          throw new IllegalArgumentException(
              "two reasons ('"
                  + words[1]
                  + "' and reason:"
                  + options.get("reason")
                  + "); write the reason once, after the cluster");
        }
        options.put("reason", words[1]);
      }
    }
    return new ChatCommand(sub, options);
  }
}

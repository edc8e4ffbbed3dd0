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

  private static final Pattern OPTION = Pattern.compile("(?:^|\\s)(id|reason):");

  public ChatCommand {
    subcommand = subcommand == null ? "" : subcommand.strip().toLowerCase(Locale.ROOT);
    options = Map.copyOf(options);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * Parses {@code /obcluster stop 1 reason:disk swap on zone1} or {@code /obcluster stop id:1
   * reason:…}: the first bare word after the subcommand is the id, {@code reason:} takes the rest
   * of its segment (spaces included). The leading {@code /obcluster} is optional.
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
      throw new IllegalArgumentException(
          "say what to do: /obcluster list, status id:<id>, task id:<task id>,"
              + " stop id:<id> reason:<why>, start id:<id> reason:<why>");
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
      if (options.containsKey("id") || bare.contains(" ")) {
        throw new IllegalArgumentException(
            "unexpected '" + bare + "'; write options as id:<id> reason:<why>");
      }
      options.put("id", bare);
    }
    return new ChatCommand(sub, options);
  }
}

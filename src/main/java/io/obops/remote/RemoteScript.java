package io.obops.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * A POSIX shell script run on a host with arguments: once per command as {@code exec /bin/sh -c
 * '<text>' <name> <args...>}, or, when it {@link #serves()}, kept running by a {@link RemoteShell}
 * that can (see {@link SshRemoteShell}) and handed one command per line.
 *
 * <p>A serving script, started with the single argument {@code serve}, prints {@code obops-ready};
 * then for each line {@code NONCE ARGS...} it reads (each word single-quoted) it prints {@code
 * obops-begin NONCE}, the command's output (standard error merged), and {@code obops-end NONCE
 * STATUS}, and never lets the command read its standard input.
 */
public record RemoteScript(String name, String text, boolean serves) {

  public RemoteScript {
    ShellQuoting.requireShellSafe("script name", name);
    ShellQuoting.requireShellSafe("script text", text);
  }

  /** The command that runs the script once with {@code args}. */
  public String command(List<String> args) {
    List<String> words = new ArrayList<>();
    words.add("exec /bin/sh -c");
    words.add(ShellQuoting.quote(text));
    words.add(ShellQuoting.quote(name));
    args.forEach(a -> words.add(ShellQuoting.quote(a)));
    return String.join(" ", words);
  }

  /** The command that starts the script serving. */
  String serveCommand() {
    return command(List.of("serve"));
  }

  /**
   * The line that hands {@code args} to a serving script under {@code nonce}, or null when an
   * argument holds a line break (which a line cannot carry: such a command runs once instead).
   */
  static String request(String nonce, List<String> args) {
    StringBuilder line = new StringBuilder(nonce);
    for (String a : args) {
      if (a.indexOf('\n') >= 0 || a.indexOf('\r') >= 0) {
        return null;
      }
      line.append(' ').append(ShellQuoting.quote(a));
    }
    return line.append('\n').toString();
  }
}

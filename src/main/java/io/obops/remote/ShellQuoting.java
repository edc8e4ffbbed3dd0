package io.obops.remote;

/**
 * Turns any string into one word of a POSIX shell command line that the shell reads back as the
 * exact same bytes: no expansion, no word splitting, no command substitution.
 *
 * <p>The value is wrapped in single quotes; inside single quotes nothing is special except the
 * single quote itself, which is written as {@code '\''} (close, escaped quote, reopen). Newlines,
 * {@code ;}, {@code $()}, backticks and double quotes are therefore inert. The only byte a shell
 * word cannot carry is NUL, so values holding one are rejected.
 */
final class ShellQuoting {

  private ShellQuoting() {}

  /** {@code value} as a single-quoted shell word. */
  public static String quote(String value) {
    requireShellSafe("value", value);
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /**
   * Checks that {@code value} can travel as a shell word: not null and free of NUL characters.
   * {@code what} names the value in the message.
   */
  public static String requireShellSafe(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          what + " contains a NUL character, which no command can carry");
    }
    return value;
  }
}

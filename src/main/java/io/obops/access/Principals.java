package io.obops.access;

import java.util.regex.Pattern;

/**
 * The principal syntax: {@code discord-user:<snowflake>}, {@code discord-role:<snowflake>}, {@code
 * web:<name>}, {@code api:<name>}. Discord ids are numeric (stable ids, never display names).
 */
public final class Principals {

  private static final Pattern VALID =
      Pattern.compile("(discord-user|discord-role):[0-9]{1,20}|(web|api):[A-Za-z0-9._-]{1,64}");

  private Principals() {}

  public static boolean isValid(String principal) {
    return principal != null && VALID.matcher(principal).matches();
  }

  public static boolean isDiscordRole(String principal) {
    return isValid(principal) && principal.startsWith("discord-role:");
  }

  /** Throws {@link IllegalArgumentException} naming the expected forms. */
  public static String require(String principal) {
    if (!isValid(principal)) {
      throw new IllegalArgumentException(
          "'"
              + principal
              + "' is not a principal; use discord-user:<id>, discord-role:<id>, web:<name> or"
              + " api:<name>");
    }
    return principal;
  }
}

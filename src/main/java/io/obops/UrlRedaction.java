package io.obops;

import java.util.regex.Pattern;

/**
 * Makes a URL safe to log: every password in it is replaced by {@code ***}. Covers JDBC URLs with
 * settings after {@code ?} or {@code ;} separated by {@code &} or {@code ;} ({@code password=...},
 * {@code sslpassword=...}, {@code trustStorePassword=...}, in any case) and user info before the
 * host ({@code //user:secret@host}). Use it wherever a configured URL is logged.
 */
public final class UrlRedaction {

  private static final Pattern PASSWORD_SETTING =
      Pattern.compile("(?i)([?;&][^=?;&]*password\\s*=)[^;&]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?;&]*:)[^/@]*@");

  private UrlRedaction() {}

  /** {@code url} with its passwords replaced by {@code ***}; null stays null. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String out = PASSWORD_SETTING.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(out).replaceAll("$1***@");
  }
}

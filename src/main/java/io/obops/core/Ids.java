package io.obops.core;

import java.util.regex.Pattern;

/**
 * The one codec of ids on every surface: an id is written as plain decimal digits without a sign or
 * leading zero ({@code [1-9][0-9]*}) and fits in a Java {@code long}. {@code +1}, {@code 01},
 * {@code 0x3E8}, {@code 1e3}, {@code 1.0}, {@code " 1"}, {@code 99999999999999999999} and the empty
 * string are refused with {@link Refusal.Malformed}, so two spellings never name one object.
 */
public final class Ids {

  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");

  private Ids() {}

  /** True if {@code raw} is an id in its one spelling. */
  public static boolean isId(String raw) {
    if (raw == null || !ID.matcher(raw).matches()) {
      return false;
    }
    try {
      Long.parseLong(raw);
      return true;
    } catch (NumberFormatException e) {
      return false; // 19 digits above Long.MAX_VALUE
    }
  }

  /** The id {@code raw} spells; a {@link Refused} naming {@code field} otherwise. */
  public static long parse(String field, String raw) {
    if (!isId(raw)) {
      throw new Refused(new Refusal.Malformed(field, raw, Refusal.Expected.ID));
    }
    return Long.parseLong(raw);
  }
}

package io.obops.core;

import io.obops.access.ClusterRef;

/**
 * Free text people type (a reason, a reject comment), checked the same way on every surface: at
 * most {@link #MAX} characters (code points) after trimming, {@code \r\n} taken as a newline, and
 * no control character but the newline, no bidirectional override or isolate (which can make a
 * message read differently from what it says), no unpaired surrogate, no line or paragraph
 * separator. Blank text is no text (null).
 */
public final class Texts {

  /** The one length limit of a reason or comment, on every surface (Discord's option limit). */
  public static final int MAX = 1000;

  private Texts() {}

  /** The text, trimmed; null when blank; a {@link Refused} when it breaks a rule. */
  public static String check(String field, String raw) {
    if (raw == null) {
      return null;
    }
    String text = raw.replace("\r\n", "\n").strip();
    if (text.isEmpty()) {
      return null;
    }
    int position = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (forbidden(cp)) {
        throw new Refused(new Refusal.ForbiddenCharacter(field, cp, position));
      }
      i += Character.charCount(cp);
      position++;
    }
    if (position > MAX) {
      throw new Refused(new Refusal.TooLong(field, position, MAX));
    }
    return text;
  }

  static boolean forbidden(int cp) {
    if (cp == '\n') {
      return false;
    }
    return Character.isISOControl(cp)
        || Character.getType(cp) == Character.SURROGATE
        || cp == 0x061C // ARABIC LETTER MARK
        || cp == 0x200E
        || cp == 0x200F // LRM, RLM
        || (cp >= 0x202A && cp <= 0x202E) // embeddings and overrides
        || (cp >= 0x2066 && cp <= 0x2069) // isolates
        || cp == 0x2028
        || cp == 0x2029 // line and paragraph separators
        || cp == 0xFEFF // zero-width no-break space (BOM)
        || (cp & 0xFFFE) == 0xFFFE; // noncharacters U+xxFFFE, U+xxFFFF
  }

  /** A value shown back in a message: printable, at most 40 characters. */
  static String shown(String value) {
    if (value == null) {
      return "";
    }
    var out = new StringBuilder();
    value
        .codePoints()
        .limit(41)
        .forEach(cp -> out.appendCodePoint(forbidden(cp) || cp == '\n' ? '?' : cp));
    return out.length() > 40 ? out.substring(0, 40) + "…" : out.toString();
  }

  /** "1 (demo)". */
  static String cluster(ClusterRef c) {
    return c.id() + " (" + c.name() + ")";
  }
}

package io.obops.access;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an actor acted from; recorded with every decision and audit event. */
public enum Surface {
  DISCORD,
  WEB,
  API;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Surface fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}

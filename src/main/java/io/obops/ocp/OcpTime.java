package io.obops.ocp;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** OCP's timestamps: ISO-8601 with milliseconds and offset, e.g. 2021-03-02T10:29:04.849+08:00. */
public final class OcpTime {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  private OcpTime() {}

  public static String format(OffsetDateTime t, ZoneId zone) {
    return t == null ? null : FORMAT.format(t.atZoneSameInstant(zone));
  }

  public static String format(Instant t, ZoneId zone) {
    return t == null ? null : FORMAT.format(t.atZone(zone));
  }
}

package io.obops.operations;

import io.obops.access.Principals;
import io.obops.core.Ids;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Filters of an audit query, parsed strictly from what a person typed: ids by the id codec, a
 * principal in principal syntax, times as ISO-8601 with an offset ({@code to} exclusive). A space
 * before the offset's digits is taken as the {@code +} a query string turned into one.
 */
public record AuditFilter(
    Long clusterId, String principal, OffsetDateTime from, OffsetDateTime to, Long requestId) {

  private static final Pattern SPACED_OFFSET = Pattern.compile("(.*T.*) (\\d\\d:\\d\\d)");

  public static final AuditFilter NONE = new AuditFilter(null, null, null, null, null);

  public static AuditFilter parse(
      String clusterId, String principal, String from, String to, String requestId) {
    if (principal != null && !Principals.isValid(principal)) {
      throw new Refused(new Refusal.Malformed("principal", principal, Refusal.Expected.PRINCIPAL));
    }
    return new AuditFilter(
        clusterId == null ? null : Ids.parse("clusterId", clusterId),
        principal,
        time("from", from),
        time("to", to),
        requestId == null ? null : Ids.parse("requestId", requestId));
  }

  private static OffsetDateTime time(String field, String raw) {
    if (raw == null) {
      return null;
    }
    var spaced = SPACED_OFFSET.matcher(raw);
    String text = spaced.matches() ? spaced.group(1) + "+" + spaced.group(2) : raw;
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new Refused(new Refusal.Malformed(field, raw, Refusal.Expected.TIME));
    }
  }
}

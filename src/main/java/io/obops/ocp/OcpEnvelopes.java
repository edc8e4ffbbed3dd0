package io.obops.ocp;

import java.time.Clock;
import java.time.ZoneId;

/**
 * OCP's success envelope outside an HTTP request (a file posted in chat): the same document as the
 * API's, with a duration of 0 and the given trace id, timestamped in OCP's zone.
 */
public final class OcpEnvelopes {

  private final Clock clock;
  private final ZoneId zone;
  private final String server;

  public OcpEnvelopes(Clock clock, ZoneId zone, String server) {
    this.clock = clock;
    this.zone = zone;
    this.server = server;
  }

  /** The zone OCP prints times in. */
  public ZoneId zone() {
    return zone;
  }

  public <T> OcpResponse<T> envelope(T data, String traceId) {
    return new OcpResponse<>(
        data, 0L, server, 200, true, OcpTime.format(clock.instant(), zone), traceId);
  }
}

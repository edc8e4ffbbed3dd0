package io.obops.chat.discord;

import io.obops.chat.ChatPlatformException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures back off per Discord channel: after the n-th failure in a row, calls to that channel
 * fail at once, without a request, for 1 s × 2^(n-1) (at most {@link #MAX}); a success resets it.
 * The chat ticker runs every 100 ms, so without this one broken thread would cost ten failing calls
 * a second for ever (and Discord counts 403s toward its 10,000 invalid requests per 10 minutes).
 * Time is the application's clock. Thread-safe.
 */
final class Backoff {

  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(5);

  private record State(int failures, Instant until, String last) {}

  private final Clock clock;
  private final ConcurrentHashMap<Long, State> states = new ConcurrentHashMap<>();

  Backoff(Clock clock) {
    this.clock = clock;
  }

  /** Throws if calls to {@code channelId} are paused. */
  void check(long channelId, String what) {
    State s = states.get(channelId);
    if (s != null && clock.instant().isBefore(s.until())) {
      throw new ChatPlatformException(
          "not trying to "
              + what
              + " before "
              + s.until()
              + ": the last "
              + s.failures()
              + " call(s) to Discord channel "
              + channelId
              + " failed ("
              + s.last()
              + ")",
          false);
    }
  }

  void failed(long channelId, String reason) {
    states.compute(
        channelId,
        (id, s) -> {
          int n = s == null ? 1 : s.failures() + 1;
          Duration wait = FIRST.multipliedBy(1L << Math.min(n - 1, 20));
          if (wait.compareTo(MAX) > 0) {
            wait = MAX;
          }
          return new State(n, clock.instant().plus(wait), reason);
        });
  }

  void succeeded(long channelId) {
    states.remove(channelId);
  }
}

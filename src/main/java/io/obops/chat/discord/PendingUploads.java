package io.obops.chat.discord;

import io.obops.chat.ChannelRef;
import io.obops.chat.ChatPlatformException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files Discord refused, kept to be posted again: each is due 5 s × 2^(attempts-1) after its last
 * attempt (at most 10 min), on the application's clock, and dropped (logged) after too many
 * attempts or when its channel is gone. In memory on purpose, a minimal stand-in: the chat outbox
 * (durable, shared by replicas) is where undelivered output belongs. Thread-safe.
 */
final class PendingUploads {

  private static final Logger log = LoggerFactory.getLogger(PendingUploads.class);
  private static final Duration FIRST = Duration.ofSeconds(5);
  private static final Duration MAX = Duration.ofMinutes(10);

  record Upload(
      ChannelRef channel,
      String text,
      String fileName,
      byte[] content,
      int attempts,
      Instant due) {}

  /** Posts one upload; returns normally when done, throws {@link ChatPlatformException} if not. */
  interface Poster {
    boolean post(Upload u);
  }

  private final Clock clock;
  private final List<Upload> pending = new ArrayList<>();

  PendingUploads(Clock clock) {
    this.clock = clock;
  }

  synchronized void add(ChannelRef channel, String text, String fileName, byte[] content) {
    pending.add(new Upload(channel, text, fileName, content, 1, clock.instant().plus(FIRST)));
  }

  synchronized int size() {
    return pending.size();
  }

  /** Tries every due upload once; returns how many were posted. */
  int retry(Poster poster, int maxAttempts) {
    List<Upload> due = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (Upload u : pending) {
        if (!now.isBefore(u.due())) {
          due.add(u);
        }
      }
      pending.removeAll(due);
    }
    int posted = 0;
    for (Upload u : due) {
      try {
        poster.post(u);
        posted++;
        log.info(
            "{} posted in {} after {} refused attempt(s)", u.fileName(), u.channel(), u.attempts());
      } catch (ChatPlatformException e) {
        if (e.gone() || u.attempts() >= maxAttempts) {
          log.error(
              "{} for {} is given up after {} attempt(s): {}",
              u.fileName(),
              u.channel(),
              u.attempts(),
              e.getMessage());
          continue;
        }
        Duration wait = FIRST.multipliedBy(1L << Math.min(u.attempts(), 16));
        if (wait.compareTo(MAX) > 0) {
          wait = MAX;
        }
        synchronized (this) {
          pending.add(
              new Upload(
                  u.channel(),
                  u.text(),
                  u.fileName(),
                  u.content(),
                  u.attempts() + 1,
                  clock.instant().plus(wait)));
        }
      }
    }
    return posted;
  }
}

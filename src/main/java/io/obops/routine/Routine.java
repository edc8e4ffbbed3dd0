package io.obops.routine;

import java.time.Duration;
import java.util.Objects;

/**
 * A periodic job of obops (TJ-Bot's {@code Routine}): a name for logs, how long to wait between two
 * runs, and the work. Every periodic job of the application is one of these beans (the chat
 * reporter, the chat outbox's sender, the gateway lease, approval expiry, the access file's
 * reload); {@link Routines} runs them. A run that throws is logged and the routine runs again after
 * {@code every}. The task engine keeps its own threads (poller, workers, housekeeper): it is plain
 * Java with its own lifecycle, assembled by Spring.
 *
 * @param name what logs call it, e.g. {@code chat-outbox}
 * @param every the delay between the end of one run and the start of the next; zero: never
 *     scheduled (tests run it by hand with {@link Routines#runNow})
 * @param work what one run does; must be safe to call from any thread
 */
public record Routine(String name, Duration every, Runnable work) {

  public Routine {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(every, "every");
    Objects.requireNonNull(work, "work");
    if (every.isNegative()) {
      throw new IllegalArgumentException("routine " + name + ": every is negative (" + every + ")");
    }
  }
}

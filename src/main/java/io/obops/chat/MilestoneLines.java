package io.obops.chat;

import io.obops.obcluster.ObserverStarted;
import io.obops.obcluster.ObserverStopped;
import io.obops.task.Milestone;
import java.util.Optional;

/**
 * The line a thread shows for a typed milestone, read from its stored data (never from a log line):
 * an {@link ObserverStopped} or {@link ObserverStarted} in its own words. A kind chat does not know
 * shows nothing.
 */
final class MilestoneLines {

  private MilestoneLines() {}

  static Optional<String> line(Milestone m) {
    return ObserverStopped.from(m)
        .map(ObserverStopped::describe)
        .or(() -> ObserverStarted.from(m).map(ObserverStarted::describe));
  }
}

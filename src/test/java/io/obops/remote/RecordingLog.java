package io.obops.remote;

import io.obops.task.SubtaskLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link SubtaskLog} that keeps its lines for assertions. */
final class RecordingLog implements SubtaskLog {

  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void append(String line) {
    lines.add(line);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  String text() {
    return String.join("\n", lines);
  }
}

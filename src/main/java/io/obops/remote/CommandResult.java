package io.obops.remote;

import java.util.List;

/**
 * What a remote command printed and how it ended. {@code exitStatus} is -1 when the command ended
 * without one (killed by a signal).
 */
public record CommandResult(int exitStatus, String stdout, String stderr) {

  /** Standard output, then standard error, split into lines. */
  public List<String> lines() {
    return (stdout + (stderr.isEmpty() ? "" : "\n" + stderr)).lines().toList();
  }
}

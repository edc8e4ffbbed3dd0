package io.obops.obcluster;

import io.obops.cluster.ObServer;
import io.obops.task.SubtaskLog;

/** The only implementation when no SSH executor is configured: every call fails, loudly. */
public final class NoRemoteExecutor implements ObserverProcessControl {

  static final String MESSAGE =
      "no remote executor configured: set obops.remote.* (SSH key and known_hosts) to stop and"
          + " start observers on their hosts";

  @Override
  public ObserverState inspect(ObServer server, SubtaskLog log) {
    throw new IllegalStateException(MESSAGE + " (server " + server.address() + ")");
  }

  @Override
  public StopReport stop(ObServer server, SubtaskLog log) {
    throw new IllegalStateException(MESSAGE + " (server " + server.address() + ")");
  }

  @Override
  public StartReport start(ObServer server, SubtaskLog log) {
    throw new IllegalStateException(MESSAGE + " (server " + server.address() + ")");
  }
}

package io.obops.testsupport;

import io.obops.cluster.ObServer;
import io.obops.sandbox.Sandbox;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Puts the sandbox cluster back to RUNNING before a test: statuses, SSH servers, observers. */
public final class RunningSandbox {

  private RunningSandbox() {}

  /**
   * Every status RUNNING and the cluster free of operations; every sandbox SSH server up and every
   * observer running (those still running are left as they are).
   */
  public static void restore(JdbcClient jdbc, Sandbox sandbox) {
    jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
    jdbc.sql("update ob_zone set status = 'RUNNING'").update();
    jdbc.sql("update ob_server set status = 'RUNNING'").update();
    for (ObServer s : sandbox.servers()) {
      sandbox.startSshServer(s);
      if (!sandbox.isObserverRunning(s)) {
        sandbox.startObserver(s);
      }
    }
  }
}

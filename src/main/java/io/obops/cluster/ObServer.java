package io.obops.cluster;

/**
 * One observer of a cluster, as the inventory describes it, with its current OCP status.
 *
 * <p>Every field that reaches a remote shell (ip, sshUser, homePath) has been validated strictly by
 * {@link InventoryLoader} before an instance exists.
 */
public record ObServer(
    long id,
    long clusterId,
    String zoneName,
    String ip,
    int sshPort,
    String sshUser,
    String homePath,
    int mysqlPort,
    int rpcPort,
    ObServerStatus status) {

  /** How OCP and obd name a server in messages: {@code ip:rpc_port}. */
  public String address() {
    return ip + ":" + rpcPort;
  }
}

package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.cluster.ObServer;

/**
 * An observer as OCP's server lists show it: {@code port} is the RPC port, {@code sqlPort} the
 * MySQL port, {@code status} OCP's server status. Components in alphabetical order: Jackson writes
 * a record's components in declaration order whatever {@code @JsonPropertyOrder} says. OCP's {@code
 * startTime} / {@code stopTime}, {@code version}, region and IDC are left out: obops's inventory
 * does not know them.
 */
@JsonPropertyOrder(alphabetic = true)
record ObServerView(
    long clusterId, long id, String ip, int port, int sqlPort, String status, String zoneName) {

  static ObServerView of(ObServer s) {
    return new ObServerView(
        s.clusterId(), s.id(), s.ip(), s.rpcPort(), s.mysqlPort(), s.status().name(), s.zoneName());
  }
}

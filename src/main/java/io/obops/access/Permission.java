package io.obops.access;

import java.util.Arrays;
import java.util.Optional;

/** What a role can grant. The wire name ({@code cluster.stop}) is what configuration uses. */
public enum Permission {
  CLUSTER_VIEW("cluster.view"),
  CLUSTER_STOP("cluster.stop"),
  CLUSTER_START("cluster.start"),
  TASK_MANAGE("task.manage"),
  APPROVAL_DECIDE("approval.decide");

  private final String wire;

  Permission(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Permission> fromWire(String value) {
    return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
  }

  @Override
  public String toString() {
    return wire;
  }
}

package io.obops.cluster;

/** One zone of a cluster with its current OCP status. */
public record ObZone(long clusterId, String name, ObZoneStatus status) {}

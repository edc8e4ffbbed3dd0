package io.obops.task;

/** The OCP object a task acts on, shown as the envelope's {@code cluster{id,name,obClusterId}}. */
public record TaskTarget(long id, String name, long obClusterId) {}

package io.obops.task;

/** Who created a task, shown as the envelope's {@code creator{id,name}}. */
public record Creator(long id, String name) {}

package io.obops.task;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A subtask as stored: OCP's SubtaskInstance, with what it works on ({@code target}, null for an
 * unsplit node) and the ids of its upstreams and downstreams.
 */
public record SubtaskInstance(
    long id,
    long taskId,
    int seriesId,
    String name,
    String description,
    String handler,
    SubtaskStatus status,
    SubtaskOperation operation,
    int parallelIdx,
    SubtaskTarget target,
    int runTime,
    int timeoutSeconds,
    String executor,
    OffsetDateTime startTime,
    OffsetDateTime finishTime,
    String errorMessage,
    List<Long> upstreams,
    List<Long> downstreams) {}

package io.obops.chat;

import io.obops.task.TaskInstance;

/**
 * The files posted at the end of a task: the final OCP JSON envelope (the same document as {@code
 * GET /api/v2/tasks/instances/{id}}) and the task graph as a PNG.
 */
interface TaskDocuments {

  /** The OCP success envelope around the task's view, as UTF-8 JSON. */
  byte[] envelope(TaskInstance task);

  /** The task graph as a PNG image. */
  byte[] graph(TaskInstance task);
}

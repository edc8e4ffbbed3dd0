package io.obops.task;

import java.sql.SQLException;

/** The task store (the database) could not be read or written; the operation did not happen. */
public class TaskStoreException extends RuntimeException {

  TaskStoreException(SQLException cause) {
    super("task store unavailable: " + cause.getMessage(), cause);
  }
}

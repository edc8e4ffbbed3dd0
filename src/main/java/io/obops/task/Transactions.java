package io.obops.task;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs JDBC work in a transaction, joining the caller's when there is one.
 *
 * <p>Given a Spring {@code TransactionAwareDataSourceProxy}, a connection obtained inside a Spring
 * transaction already has auto-commit off: the work then joins that transaction and commits or
 * rolls back with it (this is how an approval and the task it starts commit together). Otherwise
 * the connection is in auto-commit mode and the work gets a transaction of its own.
 */
final class Transactions {

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> T inTransaction(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean own = connection.getAutoCommit();
      if (!own) {
        return work.run(connection);
      }
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new TaskStoreException(e);
    }
  }

  <T> T withConnection(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new TaskStoreException(e);
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}

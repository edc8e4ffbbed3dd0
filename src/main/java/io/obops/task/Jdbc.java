package io.obops.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The engine's one JDBC idiom, after db-scheduler's {@code JdbcRunner}: a statement is SQL, a
 * parameter setter and a row mapper, so the repositories are SQL plus lambdas.
 *
 * <p>Transactions: {@link #inTransaction} binds one connection to the calling thread, and every
 * statement the work runs on that thread uses it. Given a Spring {@code
 * TransactionAwareDataSourceProxy}, a connection obtained inside a Spring transaction already has
 * auto-commit off: the work then joins that transaction and commits or rolls back with it (this is
 * how an approval and the task it starts commit together). Otherwise the work gets a transaction of
 * its own. Outside {@link #inTransaction} each statement runs on a connection of its own, in
 * auto-commit mode.
 */
final class Jdbc {

  /** Sets a statement's parameters. */
  @FunctionalInterface
  interface Params {
    void set(PreparedStatement ps) throws SQLException;
  }

  /** Sets the parameters of one batch entry. */
  @FunctionalInterface
  interface BatchParams<T> {
    void set(PreparedStatement ps, T item) throws SQLException;
  }

  /** Maps the current row. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource dataSource;
  private final ThreadLocal<Connection> bound = new ThreadLocal<>();
  private final boolean postgres;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
    this.postgres =
        connected(
            c ->
                c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgresql"));
  }

  /** PostgreSQL (production, tests), rather than H2 (the embedded default). */
  boolean postgres() {
    return postgres;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Parameters in order; enums are written by name, null as SQL NULL. */
  static Params params(Object... values) {
    return ps -> {
      for (int i = 0; i < values.length; i++) {
        Object v = values[i];
        if (v == null) {
          ps.setNull(i + 1, Types.NULL);
        } else if (v instanceof Enum<?> e) {
          ps.setString(i + 1, e.name());
        } else {
          ps.setObject(i + 1, v);
        }
      }
    };
  }

  /** {@code ?, ?, ?} for an {@code in (…)} list of {@code n} values. */
  static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  <T> List<T> query(String sql, Params params, RowMapper<T> mapper) {
    return connected(
        c -> {
          try (var ps = c.prepareStatement(sql)) {
            params.set(ps);
            try (var rs = ps.executeQuery()) {
              var rows = new ArrayList<T>();
              while (rs.next()) {
                rows.add(mapper.map(rs));
              }
              return rows;
            }
          }
        });
  }

  <T> Optional<T> queryOne(String sql, Params params, RowMapper<T> mapper) {
    List<T> rows = query(sql, params, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs an insert, update or delete; returns the number of rows it changed. */
  int update(String sql, Params params) {
    return connected(
        c -> {
          try (var ps = c.prepareStatement(sql)) {
            params.set(ps);
            return ps.executeUpdate();
          }
        });
  }

  /** Runs an insert into a table whose key {@code id} the database generates; returns the key. */
  long insert(String sql, Params params) {
    return connected(
        c -> {
          try (var ps = c.prepareStatement(sql, new String[] {"id"})) {
            params.set(ps);
            ps.executeUpdate();
            try (var keys = ps.getGeneratedKeys()) {
              keys.next();
              return keys.getLong(1);
            }
          }
        });
  }

  /** Runs one statement per item as a single batch; returns each one's count of changed rows. */
  <T> int[] batch(String sql, Collection<T> items, BatchParams<T> params) {
    if (items.isEmpty()) {
      return new int[0];
    }
    return connected(
        c -> {
          try (var ps = c.prepareStatement(sql)) {
            for (T item : items) {
              params.set(ps, item);
              ps.addBatch();
            }
            return ps.executeBatch();
          }
        });
  }

  /** Runs the work in one transaction (the caller's, when it has one; see the class comment). */
  <T> T inTransaction(Supplier<T> work) {
    return onConnection(
        true,
        connection -> {
          if (!connection.getAutoCommit()) {
            return work.get(); // a Spring transaction's connection, or ours already: it commits
          }
          connection.setAutoCommit(false);
          try {
            T result = work.get();
            connection.commit();
            return result;
          } catch (RuntimeException | Error e) {
            rollbackQuietly(connection, e);
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        });
  }

  /** Runs the work's statements on one connection, each in auto-commit mode (reads). */
  <T> T onOneConnection(Supplier<T> work) {
    return onConnection(true, connection -> work.get());
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs the work on the bound connection, or on a new one (bound to this thread if asked). */
  private <T> T onConnection(boolean bind, Work<T> work) {
    Connection current = bound.get();
    try {
      if (current != null) {
        return work.run(current);
      }
      try (Connection connection = dataSource.getConnection()) {
        if (!bind) {
          return work.run(connection);
        }
        bound.set(connection);
        try {
          return work.run(connection);
        } finally {
          bound.remove();
        }
      }
    } catch (SQLException e) {
      throw new TaskStoreException(e);
    }
  }

  private <T> T connected(Work<T> work) {
    return onConnection(false, work);
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}

package io.obops.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Counts the database round trips made through a data source: every statement execution (a JDBC
 * batch counts once), every commit and every rollback. An estimate of what crosses the wire, good
 * enough to compare two versions of the engine on the same workload.
 */
final class RoundTrips {

  private static final Set<String> EXECUTIONS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeBatch", "executeLargeUpdate");

  private final AtomicLong count = new AtomicLong();

  long count() {
    return count.get();
  }

  DataSource wrap(DataSource target) {
    return proxy(DataSource.class, target);
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target) {
    InvocationHandler handler =
        (p, method, args) -> {
          String name = method.getName();
          if (EXECUTIONS.contains(name) || name.equals("commit") || name.equals("rollback")) {
            count.incrementAndGet();
          }
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof Connection c) {
            return proxy(Connection.class, c);
          }
          if (result instanceof Statement s) {
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && Statement.class.isAssignableFrom(returned)) {
              return proxy((Class<Statement>) returned, s);
            }
          }
          return result;
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}

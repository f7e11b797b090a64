package app.tessera.engine.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the writer connection's prepared statements for reuse.
 *
 * <p>Ingest runs the same few statements for every file; compiling each one anew was about half of
 * the writer's time on small files. The wrapped connection hands out a cached statement for a SQL
 * text it has seen (the same bytes and the same generated-keys flag), and that statement's {@code
 * close()} only clears its parameters, so code keeps its plain try-with-resources. A statement
 * still in use (nested use of the same SQL) is never handed out twice: the caller then gets a
 * fresh, uncached one. The real statements are closed with the connection. Not thread-safe: the
 * writer connection is used by one thread at a time (the catalogue's write lock).
 */
final class StatementCache implements InvocationHandler {
  /** Enough for every statement the catalogue code has; more are simply not kept. */
  private static final int CAPACITY = 256;

  private final Connection connection;
  private final Map<String, Entry> entries = new HashMap<>();

  private StatementCache(Connection connection) {
    this.connection = connection;
  }

  /** {@code connection}, whose prepared statements are now kept for reuse. */
  static Connection wrap(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new StatementCache(connection));
  }

  /** A cached statement and whether a caller holds it now. */
  private static final class Entry {
    final PreparedStatement statement;
    boolean inUse;

    Entry(PreparedStatement statement) {
      this.statement = statement;
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("prepareStatement")
        && args.length <= 2
        && (args.length == 1 || args[1] instanceof Integer)) {
      return prepare((String) args[0], args.length == 2 ? (Integer) args[1] : null);
    }
    if (name.equals("close")) {
      closeAll();
    }
    try {
      return method.invoke(connection, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private PreparedStatement prepare(String sql, Integer keys) throws SQLException {
    String key = keys == null ? sql : keys + "\u0000" + sql;
    Entry entry = entries.get(key);
    if (entry == null && entries.size() < CAPACITY) {
      entry =
          new Entry(
              keys == null
                  ? connection.prepareStatement(sql)
                  : connection.prepareStatement(sql, keys));
      entries.put(key, entry);
    }
    if (entry == null || entry.inUse) {
      return keys == null
          ? connection.prepareStatement(sql)
          : connection.prepareStatement(sql, keys);
    }
    entry.inUse = true;
    return lease(entry);
  }

  /**
   * The statement as its caller sees it: closing it closes the result set it gave (which resets the
   * statement, so no read stays open past the transaction) and gives it back.
   */
  private static PreparedStatement lease(Entry entry) {
    boolean[] returned = {false};
    ResultSet[] results = {null};
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (proxy, method, args) -> {
              String name = method.getName();
              if (name.equals("close")) {
                if (!returned[0]) {
                  returned[0] = true;
                  entry.inUse = false;
                  if (results[0] != null) {
                    results[0].close();
                  }
                  entry.statement.clearParameters();
                }
                return null;
              }
              if (name.equals("isClosed")) {
                return returned[0] || entry.statement.isClosed();
              }
              if (returned[0]) {
                throw new SQLException("statement is closed");
              }
              try {
                Object result = method.invoke(entry.statement, args);
                if (name.equals("executeQuery")) {
                  results[0] = (ResultSet) result;
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void closeAll() {
    List<PreparedStatement> statements = new ArrayList<>();
    for (Entry entry : entries.values()) {
      statements.add(entry.statement);
    }
    entries.clear();
    for (PreparedStatement statement : statements) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // the connection is closing anyway
      }
    }
  }
}

package app.tessera.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's JDBC helpers: statements, ids, and {@link SQLException} as {@link StoreException}.
 */
final class Sql {
  private Sql() {}

  /** A unit of JDBC work. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws SQLException;
  }

  /** Runs {@code call}; a {@link SQLException} comes out as a {@link StoreException}. */
  static <T> T run(Call<T> call) {
    try {
      return call.run();
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  /** Runs one statement; prepared, so the writer connection keeps it compiled. */
  static void execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.execute();
    }
  }

  /**
   * Runs an {@code INSERT ... RETURNING id} and gives the new row's id (one statement; the driver's
   * generated keys would prepare a second one per row).
   */
  static long insertedId(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the insert returned no id");
      }
      return rs.getLong(1);
    }
  }

  /** The first column of every row as longs. */
  static List<Long> longs(PreparedStatement st) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  /** Reads one result row. */
  @FunctionalInterface
  interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  /** Ids per {@code IN} list: well under SQLite's limit on parameters. */
  private static final int IN_CHUNK = 500;

  /**
   * Runs {@code select} ending in {@code "IN ("} for {@code ids} (after the {@code leading}
   * parameters), in chunks, giving every row to {@code reader}.
   */
  static void selectIn(Connection c, String select, Object[] leading, long[] ids, RowReader reader)
      throws SQLException {
    for (int from = 0; from < ids.length; from += IN_CHUNK) {
      int n = Math.min(IN_CHUNK, ids.length - from);
      try (PreparedStatement st = c.prepareStatement(select + parameters(n) + ")")) {
        for (int i = 0; i < leading.length; i++) {
          st.setObject(1 + i, leading[i]);
        }
        for (int i = 0; i < n; i++) {
          st.setLong(1 + leading.length + i, ids[from + i]);
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            reader.read(rs);
          }
        }
      }
    }
  }

  static void setLongOrNull(PreparedStatement st, int index, Long value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setLong(index, value);
    }
  }

  /** {@code ?, ?, ... ?}: {@code n} parameters for an {@code IN} list. */
  static String parameters(int n) {
    return "?, ".repeat(Math.max(0, n - 1)) + (n > 0 ? "?" : "");
  }
}

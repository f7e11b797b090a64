package app.tessera.engine.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
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

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package app.tessera.engine.store;

import app.tessera.engine.PathText;
import app.tessera.engine.RootState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The registered root folders, inside one {@link Transaction}. */
public final class RootRepository {
  private final Connection c;

  RootRepository(Connection c) {
    this.c = c;
  }

  /** Every root, in the order they were added. */
  public List<Root> list() {
    return Sql.run(
        () -> {
          List<Root> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT id, path, state, last_scan_at FROM roots ORDER BY id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              long scanned = rs.getLong(4);
              Instant scannedAt = rs.wasNull() ? null : Instant.ofEpochMilli(scanned);
              out.add(
                  new Root(
                      rs.getLong(1),
                      PathText.toPath(rs.getString(2)),
                      RootState.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                      scannedAt));
            }
          }
          return out;
        });
  }

  /** Registers {@code path} (absolute, normalised) as a new, online root. */
  public Root add(Path path) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement("INSERT INTO roots (path, added_at) VALUES (?, ?) RETURNING id")) {
            st.setString(1, PathText.of(path));
            st.setLong(2, System.currentTimeMillis());
            return new Root(Sql.insertedId(st), path, RootState.ONLINE, null);
          }
        });
  }

  /** Sets a root's state; {@code scanned} also records the time of this scan. */
  public void setState(long rootId, RootState state, boolean scanned) {
    Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "UPDATE roots SET state = ?,"
                      + " last_scan_at = CASE WHEN ? THEN ? ELSE last_scan_at END WHERE id = ?")) {
            st.setString(1, state.name().toLowerCase(Locale.ROOT));
            st.setBoolean(2, scanned);
            st.setLong(3, System.currentTimeMillis());
            st.setLong(4, rootId);
            return st.executeUpdate();
          }
        });
  }

  /** Marks an absent root and its present files offline; returns how many files it holds. */
  public int markOffline(long rootId) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "UPDATE files SET presence = 'offline'"
                      + " WHERE root_id = ? AND presence = 'present'")) {
            st.setLong(1, rootId);
            st.executeUpdate();
          }
          setState(rootId, RootState.OFFLINE, false);
          return countFiles(rootId, Presence.OFFLINE);
        });
  }

  /** The files of a root with this presence. */
  public int countFiles(long rootId, Presence presence) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT count(*) FROM files WHERE root_id = ? AND presence = ?")) {
            st.setLong(1, rootId);
            st.setString(2, presence.sql());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getInt(1) : 0;
            }
          }
        });
  }

  /**
   * How many files a root holds.
   *
   * @param held present or offline (not missing)
   * @param failed held files that could not be indexed
   * @param missing files that vanished (kept until pruned)
   */
  public record FileCounts(int held, int failed, int missing) {}

  /** The file counts of every root that has files, by root id. */
  public Map<Long, FileCounts> fileCounts() {
    return Sql.run(
        () -> {
          Map<Long, FileCounts> out = new HashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT root_id,"
                          + " sum(presence != 'missing'),"
                          + " sum(presence != 'missing' AND failure IS NOT NULL),"
                          + " sum(presence = 'missing')"
                          + " FROM files GROUP BY root_id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getLong(1), new FileCounts(rs.getInt(2), rs.getInt(3), rs.getInt(4)));
            }
          }
          return out;
        });
  }

  /**
   * Forgets a root: its row and every file row under it (the files themselves are not touched).
   * Returns how many file rows went; the items they held are left to {@link Transaction#prune}.
   */
  public int remove(long rootId) {
    return Sql.run(
        () -> {
          int files;
          try (PreparedStatement st = c.prepareStatement("DELETE FROM files WHERE root_id = ?")) {
            st.setLong(1, rootId);
            files = st.executeUpdate();
          }
          try (PreparedStatement st = c.prepareStatement("DELETE FROM roots WHERE id = ?")) {
            st.setLong(1, rootId);
            st.executeUpdate();
          }
          return files;
        });
  }
}

package app.tessera.engine.store;

import app.tessera.engine.IndexReport;
import app.tessera.engine.PathText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The library's files: where each item lives, with what a scan saw of it. Rows are only deleted by
 * {@link Transaction#prune}.
 */
public final class FileRepository {
  private static final String COLUMNS =
      "id, root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id, presence, failure,"
          + " sidecar_stamp";

  private final Connection c;

  FileRepository(Connection c) {
    this.c = c;
  }

  /** Every file row of a root, by relative path. */
  public Map<String, FileRow> ofRoot(long rootId) {
    return Sql.run(
        () -> {
          Map<String, FileRow> out = new HashMap<>();
          try (PreparedStatement st =
              c.prepareStatement("SELECT " + COLUMNS + " FROM files WHERE root_id = ?")) {
            st.setLong(1, rootId);
            for (FileRow row : rows(st)) {
              out.put(row.relPath(), row);
            }
          }
          return out;
        });
  }

  /** The row of one file of a root, if the catalogue has it. */
  public FileRow byPath(long rootId, String relPath) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM files WHERE root_id = ? AND rel_path = ?")) {
            st.setLong(1, rootId);
            st.setString(2, relPath);
            List<FileRow> rows = rows(st);
            return rows.isEmpty() ? null : rows.getFirst();
          }
        });
  }

  /** The rows that link to an item (missing and offline ones included), oldest first. */
  public List<FileRow> ofItem(long itemId) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM files WHERE item_id = ? ORDER BY id")) {
            st.setLong(1, itemId);
            return rows(st);
          }
        });
  }

  private static List<FileRow> rows(PreparedStatement st) throws SQLException {
    List<FileRow> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        long item = rs.getLong(7);
        Long itemId = rs.wasNull() ? null : item;
        out.add(
            new FileRow(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                itemId,
                Presence.of(rs.getString(8)),
                rs.getString(9),
                rs.getLong(10)));
      }
    }
    return out;
  }

  /**
   * Adds a present file: the content it holds ({@code fingerprint}, {@code itemId}) or why it could
   * not be indexed ({@code failure}). Returns its id.
   */
  public long insert(FileFacts file, String fingerprint, Long itemId, String failure) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO files (root_id, rel_path, byte_size, mtime_ns, fingerprint,"
                      + " item_id, presence, failure, sidecar_stamp, seen_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, 'present', ?, ?, ?) RETURNING id")) {
            bind(st, file, fingerprint, itemId, failure);
            return Sql.insertedId(st);
          }
        });
  }

  /**
   * Rewrites a file row, present again: the same file re-read, or a moved file at its new place.
   */
  public void update(long fileId, FileFacts file, String fingerprint, Long itemId, String failure) {
    Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "UPDATE files SET root_id = ?, rel_path = ?, byte_size = ?, mtime_ns = ?,"
                      + " fingerprint = ?, item_id = ?, failure = ?, sidecar_stamp = ?,"
                      + " seen_at = ?, presence = 'present' WHERE id = ?")) {
            bind(st, file, fingerprint, itemId, failure);
            st.setLong(10, fileId);
            return st.executeUpdate();
          }
        });
  }

  private static void bind(
      PreparedStatement st, FileFacts file, String fingerprint, Long itemId, String failure)
      throws SQLException {
    st.setLong(1, file.rootId());
    st.setString(2, file.relPath());
    st.setLong(3, file.size());
    st.setLong(4, file.mtimeNs());
    st.setString(5, fingerprint);
    Sql.setLongOrNull(st, 6, itemId);
    st.setString(7, failure);
    st.setLong(8, file.sidecarStamp());
    st.setLong(9, System.currentTimeMillis());
  }

  public void setPresence(long fileId, Presence presence) {
    Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement("UPDATE files SET presence = ? WHERE id = ?")) {
            st.setString(1, presence.sql());
            st.setLong(2, fileId);
            return st.executeUpdate();
          }
        });
  }

  /** The absolute path of every file (present or offline) that holds an item, to that item. */
  public Map<Path, Long> itemsByPath() {
    return Sql.run(
        () -> {
          Map<Path, Long> out = new HashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT r.path, f.rel_path, f.item_id FROM files f"
                          + " JOIN roots r ON r.id = f.root_id"
                          + " WHERE f.item_id IS NOT NULL AND f.presence != 'missing'");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.put(
                  PathText.resolve(PathText.toPath(rs.getString(1)), rs.getString(2)).normalize(),
                  rs.getLong(3));
            }
          }
          return out;
        });
  }

  /**
   * The files whose last read failed, with why (present or offline ones; a missing file's failure
   * no longer matters), by absolute path.
   */
  public List<IndexReport.Failure> failures() {
    return Sql.run(
        () -> {
          List<IndexReport.Failure> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT r.path, f.rel_path, f.failure FROM files f"
                          + " JOIN roots r ON r.id = f.root_id"
                          + " WHERE f.failure IS NOT NULL AND f.presence != 'missing'"
                          + " ORDER BY r.path, f.rel_path");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new IndexReport.Failure(
                      PathText.display(
                          PathText.resolve(PathText.toPath(rs.getString(1)), rs.getString(2))
                              .normalize()),
                      rs.getString(3)));
            }
          }
          return out;
        });
  }
}

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue's row-level operations on roots, files, items, captions and labels, run by ingest
 * inside a {@link Catalog#write} transaction (or a read). Kept here so all SQL lives in the store.
 */
public final class LibraryRecords {
  private LibraryRecords() {}

  /** A registered root folder. */
  public record Root(long id, String path, String state) {}

  /** A {@code files} row. */
  public record FileRow(
      long id,
      long rootId,
      String relPath,
      long size,
      long mtimeNs,
      String fingerprint,
      Long itemId,
      String presence,
      String failure,
      long sidecarStamp) {}

  /** Caption or label sources a file provides (replaced whenever the file is re-read). */
  public static final List<String> FILE_CAPTION_SOURCES = List.of("sidecar", "xmp", "iptc", "exif");

  public static final List<String> FILE_LABEL_SOURCES = List.of("xmp", "iptc", "folder");

  // ---- roots ----

  public static List<Root> roots(Connection c) throws SQLException {
    List<Root> out = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement("SELECT id, path, state FROM roots ORDER BY id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(new Root(rs.getLong(1), rs.getString(2), rs.getString(3)));
      }
    }
    return out;
  }

  public static Root addRoot(Connection c, String path) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("INSERT INTO roots (path, added_at) VALUES (?, ?) RETURNING id")) {
      st.setString(1, path);
      st.setLong(2, System.currentTimeMillis());
      return new Root(insertedId(st), path, "online");
    }
  }

  /** Sets a root online (after a scan) or offline (absent). */
  public static void setRootState(Connection c, long rootId, String state, boolean scanned)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE roots SET state = ?, last_scan_at = CASE WHEN ? THEN ? ELSE last_scan_at END"
                + " WHERE id = ?")) {
      st.setString(1, state);
      st.setBoolean(2, scanned);
      st.setLong(3, System.currentTimeMillis());
      st.setLong(4, rootId);
      st.executeUpdate();
    }
  }

  /** Marks the present files of an absent root offline; returns how many files it holds. */
  public static int markRootOffline(Connection c, long rootId) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE files SET presence = 'offline' WHERE root_id = ? AND presence = 'present'")) {
      st.setLong(1, rootId);
      st.executeUpdate();
    }
    setRootState(c, rootId, "offline", false);
    return countFiles(c, rootId, "offline");
  }

  public static int countFiles(Connection c, long rootId, String presence) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT count(*) FROM files WHERE root_id = ? AND presence = ?")) {
      st.setLong(1, rootId);
      st.setString(2, presence);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  // ---- files ----

  /** Every file row of a root, by relative path. */
  public static Map<String, FileRow> files(Connection c, long rootId) throws SQLException {
    Map<String, FileRow> out = new HashMap<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id, root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id, presence,"
                + " failure, sidecar_stamp FROM files WHERE root_id = ?")) {
      st.setLong(1, rootId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          FileRow row = fileRow(rs);
          out.put(row.relPath(), row);
        }
      }
    }
    return out;
  }

  private static FileRow fileRow(ResultSet rs) throws SQLException {
    long item = rs.getLong(7);
    Long itemId = rs.wasNull() ? null : item;
    return new FileRow(
        rs.getLong(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getString(6),
        itemId,
        rs.getString(8),
        rs.getString(9),
        rs.getLong(10));
  }

  /** The rows (not offline) that link to an item, missing ones included. */
  public static List<FileRow> filesOfItem(Connection c, long itemId) throws SQLException {
    List<FileRow> out = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id, root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id, presence,"
                + " failure, sidecar_stamp FROM files WHERE item_id = ? ORDER BY id")) {
      st.setLong(1, itemId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(fileRow(rs));
        }
      }
    }
    return out;
  }

  public static long insertFile(
      Connection c,
      long rootId,
      String relPath,
      long size,
      long mtimeNs,
      String fingerprint,
      Long itemId,
      String failure,
      long sidecarStamp)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO files (root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id,"
                + " presence, failure, sidecar_stamp, seen_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'present', ?, ?, ?) RETURNING id")) {
      st.setLong(1, rootId);
      st.setString(2, relPath);
      st.setLong(3, size);
      st.setLong(4, mtimeNs);
      st.setString(5, fingerprint);
      setLongOrNull(st, 6, itemId);
      st.setString(7, failure);
      st.setLong(8, sidecarStamp);
      st.setLong(9, System.currentTimeMillis());
      return insertedId(st);
    }
  }

  /** Rewrites a file row (same file re-read, or a moved file now at a new place). */
  public static void updateFile(
      Connection c,
      long fileId,
      long rootId,
      String relPath,
      long size,
      long mtimeNs,
      String fingerprint,
      Long itemId,
      String failure,
      long sidecarStamp)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE files SET root_id = ?, rel_path = ?, byte_size = ?, mtime_ns = ?,"
                + " fingerprint = ?, item_id = ?, presence = 'present', failure = ?,"
                + " sidecar_stamp = ?, seen_at = ? WHERE id = ?")) {
      st.setLong(1, rootId);
      st.setString(2, relPath);
      st.setLong(3, size);
      st.setLong(4, mtimeNs);
      st.setString(5, fingerprint);
      setLongOrNull(st, 6, itemId);
      st.setString(7, failure);
      st.setLong(8, sidecarStamp);
      st.setLong(9, System.currentTimeMillis());
      st.setLong(10, fileId);
      st.executeUpdate();
    }
  }

  public static void setPresence(Connection c, long fileId, String presence) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE files SET presence = ? WHERE id = ?")) {
      st.setString(1, presence);
      st.setLong(2, fileId);
      st.executeUpdate();
    }
  }

  // ---- items ----

  /** The image item with this content fingerprint, if any. */
  public static Long imageByFingerprint(Connection c, String fingerprint) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT item_id FROM images WHERE fingerprint = ?")) {
      st.setString(1, fingerprint);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** Every known image fingerprint. */
  public static Set<String> fingerprints(Connection c) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement st = c.prepareStatement("SELECT fingerprint FROM images");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  public static long insertItem(Connection c, String kind) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("INSERT INTO items (kind, created_at) VALUES (?, ?) RETURNING id")) {
      st.setString(1, kind);
      st.setLong(2, System.currentTimeMillis());
      return insertedId(st);
    }
  }

  /**
   * Writes (inserts or replaces) the image row, thumbnail and model input of an image item. A
   * replaced content also drops the item's cached features and codes, which no longer match.
   */
  public static void putImage(
      Connection c,
      long itemId,
      String fingerprint,
      long byteSize,
      String format,
      int width,
      int height,
      StoredImage thumbnail,
      StoredImage modelInput,
      boolean replacesContent)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT OR REPLACE INTO images (item_id, fingerprint, byte_size, format, width, height,"
                + " decoded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      st.setLong(1, itemId);
      st.setString(2, fingerprint);
      st.setLong(3, byteSize);
      st.setString(4, format);
      st.setInt(5, width);
      st.setInt(6, height);
      st.setLong(7, System.currentTimeMillis());
      st.executeUpdate();
    }
    putStoredImage(c, "thumbnails", itemId, thumbnail);
    if (!thumbnail.sameAs(modelInput)) {
      putStoredImage(c, "model_inputs", itemId, modelInput);
    } else if (replacesContent) {
      try (PreparedStatement st =
          c.prepareStatement("DELETE FROM model_inputs WHERE item_id = ?")) {
        st.setLong(1, itemId);
        st.executeUpdate();
      }
    }
    if (replacesContent) {
      FeatureStore.deleteForItem(c, itemId);
      CodeStore.removeItemsFromAllModels(c, Set.of(itemId));
    }
  }

  /** An image seen for the first time and the file it was read from: {@link #insertNewImages}. */
  public record NewImage(
      long rootId,
      String relPath,
      long size,
      long mtimeNs,
      long sidecarStamp,
      String fingerprint,
      String format,
      int width,
      int height,
      StoredImage thumbnail,
      StoredImage modelInput) {}

  /** The ids given to a {@link NewImage}: its item and its file row. */
  public record NewImageIds(long itemId, long fileId) {}

  /**
   * Inserts new images, each with its item, image row, thumbnail, model input (unless it is the
   * thumbnail) and file row, many rows per statement: for small files one statement per row costs
   * the single writer more than the rows themselves. The ids are chosen here, after the largest
   * ones in use (what SQLite itself would choose), so no result order needs trusting. Returns the
   * ids in the order given.
   */
  public static List<NewImageIds> insertNewImages(Connection c, List<NewImage> images)
      throws SQLException {
    long item = maxId(c, "items");
    long file = maxId(c, "files");
    List<NewImageIds> ids = new ArrayList<>(images.size());
    List<Row<NewImage>> rows = new ArrayList<>(images.size());
    for (NewImage image : images) {
      NewImageIds id = new NewImageIds(++item, ++file);
      ids.add(id);
      rows.add(new Row<>(image, id));
    }
    long now = System.currentTimeMillis();
    insertRows(
        c,
        "items (id, kind, created_at)",
        3,
        rows,
        (st, at, row) -> {
          st.setLong(at, row.ids().itemId());
          st.setString(at + 1, "image");
          st.setLong(at + 2, now);
        });
    insertRows(
        c,
        "images (item_id, fingerprint, byte_size, format, width, height, decoded_at)",
        7,
        rows,
        (st, at, row) -> {
          st.setLong(at, row.ids().itemId());
          st.setString(at + 1, row.value().fingerprint());
          st.setLong(at + 2, row.value().size());
          st.setString(at + 3, row.value().format());
          st.setInt(at + 4, row.value().width());
          st.setInt(at + 5, row.value().height());
          st.setLong(at + 6, now);
        });
    List<Row<StoredImage>> thumbnails = new ArrayList<>();
    List<Row<StoredImage>> ownInputs = new ArrayList<>();
    for (Row<NewImage> row : rows) {
      NewImage image = row.value();
      thumbnails.add(new Row<>(image.thumbnail(), row.ids()));
      if (!image.thumbnail().sameAs(image.modelInput())) {
        ownInputs.add(new Row<>(image.modelInput(), row.ids()));
      }
    }
    for (var table :
        List.of(Map.entry("thumbnails", thumbnails), Map.entry("model_inputs", ownInputs))) {
      insertRows(
          c,
          table.getKey() + " (item_id, width, height, format, bytes)",
          5,
          table.getValue(),
          (st, at, row) -> {
            st.setLong(at, row.ids().itemId());
            st.setInt(at + 1, row.value().width());
            st.setInt(at + 2, row.value().height());
            st.setString(at + 3, row.value().format());
            st.setBytes(at + 4, row.value().bytes());
          });
    }
    insertRows(
        c,
        "files (id, root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id, presence,"
            + " sidecar_stamp, seen_at)",
        10,
        rows,
        (st, at, row) -> {
          NewImage image = row.value();
          st.setLong(at, row.ids().fileId());
          st.setLong(at + 1, image.rootId());
          st.setString(at + 2, image.relPath());
          st.setLong(at + 3, image.size());
          st.setLong(at + 4, image.mtimeNs());
          st.setString(at + 5, image.fingerprint());
          st.setLong(at + 6, row.ids().itemId());
          st.setString(at + 7, "present");
          st.setLong(at + 8, image.sidecarStamp());
          st.setLong(at + 9, now);
        });
    return ids;
  }

  /** A value to insert and the ids of the new image it belongs to. */
  private record Row<T>(T value, NewImageIds ids) {}

  private static long maxId(Connection c, String table) throws SQLException {
    // table is one of two constants, never user input
    try (PreparedStatement st = c.prepareStatement("SELECT coalesce(max(id), 0) FROM " + table);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Binds the columns of one row from parameter {@code at} on. */
  private interface RowBinder<T> {
    void bind(PreparedStatement st, int at, T row) throws SQLException;
  }

  /** Rows per multi-row insert; chunks are powers of two up to this, so few statements exist. */
  private static final int MAX_ROWS_PER_INSERT = 32;

  /** {@code INSERT INTO target VALUES (...), (...), ...}: the rows, {@code columns} each. */
  private static <T> void insertRows(
      Connection c, String target, int columns, List<T> rows, RowBinder<T> binder)
      throws SQLException {
    String row = "(" + "?, ".repeat(columns - 1) + "?)";
    for (int from = 0; from < rows.size(); ) {
      int n = Integer.highestOneBit(Math.min(rows.size() - from, MAX_ROWS_PER_INSERT));
      String sql = "INSERT INTO " + target + " VALUES " + (row + ", ").repeat(n - 1) + row;
      try (PreparedStatement st = c.prepareStatement(sql)) {
        for (int i = 0; i < n; i++) {
          binder.bind(st, 1 + i * columns, rows.get(from + i));
        }
        st.executeUpdate();
      }
      from += n;
    }
  }

  private static void putStoredImage(Connection c, String table, long itemId, StoredImage image)
      throws SQLException {
    // table is one of two constants, never user input
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT OR REPLACE INTO "
                + table
                + " (item_id, width, height, format, bytes) VALUES (?, ?, ?, ?, ?)")) {
      st.setLong(1, itemId);
      st.setInt(2, image.width());
      st.setInt(3, image.height());
      st.setString(4, image.format());
      st.setBytes(5, image.bytes());
      st.executeUpdate();
    }
  }

  // ---- captions ----

  /** A caption to store for an image. */
  public record NewCaption(String source, String field, String text, String note) {}

  /**
   * Adds a caption item for {@code imageId} unless the same text from the same source is already
   * there; returns true if added.
   */
  public static boolean addCaption(Connection c, long imageId, Long fileId, NewCaption caption)
      throws SQLException {
    String hash = sha256(caption.text());
    try (PreparedStatement exists =
        c.prepareStatement(
            "SELECT 1 FROM captions WHERE image_id = ? AND source = ? AND text_hash = ?")) {
      exists.setLong(1, imageId);
      exists.setString(2, caption.source());
      exists.setString(3, hash);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    long itemId = insertItem(c, "caption");
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO captions (item_id, image_id, source, field, file_id, text, text_hash, note)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setLong(1, itemId);
      st.setLong(2, imageId);
      st.setString(3, caption.source());
      st.setString(4, caption.field());
      setLongOrNull(st, 5, fileId);
      st.setString(6, caption.text());
      st.setString(7, hash);
      st.setString(8, caption.note());
      st.executeUpdate();
    }
    return true;
  }

  /**
   * Makes the file-derived captions (sidecar, XMP, IPTC, EXIF) that {@code fileId} gave {@code
   * imageId} equal to {@code captions}: stale ones (and their caption items) are deleted, new ones
   * added, unchanged ones keep their item id and so their features and codes.
   */
  public static void replaceFileCaptions(
      Connection c, long imageId, long fileId, List<NewCaption> captions) throws SQLException {
    Set<String> wanted = new HashSet<>();
    for (NewCaption caption : captions) {
      wanted.add(caption.source() + "\u0000" + sha256(caption.text()));
    }
    List<Long> stale = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT item_id, source, text_hash FROM captions WHERE image_id = ? AND file_id = ?"
                + " AND source IN ('sidecar', 'xmp', 'iptc', 'exif')")) {
      st.setLong(1, imageId);
      st.setLong(2, fileId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          if (!wanted.contains(rs.getString(2) + "\u0000" + rs.getString(3))) {
            stale.add(rs.getLong(1));
          }
        }
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
      for (long id : stale) {
        del.setLong(1, id);
        del.executeUpdate();
      }
    }
    for (NewCaption caption : captions) {
      addCaption(c, imageId, fileId, caption);
    }
  }

  // ---- labels and attributes ----

  public static long labelId(Connection c, String name) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("INSERT OR IGNORE INTO labels (name) VALUES (?)")) {
      st.setString(1, name);
      st.executeUpdate();
    }
    try (PreparedStatement st = c.prepareStatement("SELECT id FROM labels WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Adds a label to an item; returns true if it was new. */
  public static boolean addLabel(Connection c, long itemId, String source, String name)
      throws SQLException {
    long labelId = labelId(c, name);
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT OR IGNORE INTO item_labels (item_id, label_id, source) VALUES (?, ?, ?)")) {
      st.setLong(1, itemId);
      st.setLong(2, labelId);
      st.setString(3, source);
      return st.executeUpdate() > 0;
    }
  }

  /** Replaces the labels of the given sources on an item. */
  public static void replaceLabels(
      Connection c, long itemId, Set<String> sources, List<String[]> sourceAndName)
      throws SQLException {
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM item_labels WHERE item_id = ? AND source = ?")) {
      for (String source : sources) {
        del.setLong(1, itemId);
        del.setString(2, source);
        del.executeUpdate();
      }
    }
    for (String[] label : sourceAndName) {
      addLabel(c, itemId, label[0], label[1]);
    }
  }

  /** Sets an attribute; returns true if the value changed. */
  public static boolean setAttribute(Connection c, long itemId, String key, String value)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO item_attributes (item_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (item_id, key) DO UPDATE SET value = excluded.value"
                + " WHERE value IS NOT excluded.value")) {
      st.setLong(1, itemId);
      st.setString(2, key);
      st.setString(3, value);
      return st.executeUpdate() > 0;
    }
  }

  // ---- prune ----

  /** What {@link #prune} deleted. */
  public record Pruned(int files, int items) {}

  /**
   * Deletes the rows of missing files, then the image items no file links to any more (with their
   * captions, labels, thumbnails, features and codes). Offline files are kept.
   */
  public static Pruned prune(Connection c) throws SQLException {
    int files;
    try (PreparedStatement st =
        c.prepareStatement("DELETE FROM files WHERE presence = 'missing'")) {
      files = st.executeUpdate();
    }
    List<Long> orphans = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT id FROM items i WHERE kind = 'image'"
                    + " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id)");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        orphans.add(rs.getLong(1));
      }
    }
    Set<Long> doomed = new HashSet<>(orphans);
    try (PreparedStatement st =
        c.prepareStatement("SELECT item_id FROM captions WHERE image_id = ?")) {
      for (long id : orphans) {
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            doomed.add(rs.getLong(1));
          }
        }
      }
    }
    int items = 0;
    try (PreparedStatement st = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
      for (long id : doomed) {
        st.setLong(1, id);
        items += st.executeUpdate();
      }
    }
    if (!doomed.isEmpty()) {
      CodeStore.removeItemsFromAllModels(c, doomed);
    }
    return new Pruned(files, items);
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

  static void setLongOrNull(PreparedStatement st, int index, Long value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setLong(index, value);
    }
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

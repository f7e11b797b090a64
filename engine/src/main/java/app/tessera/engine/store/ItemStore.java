package app.tessera.engine.store;

import app.tessera.engine.PathText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to the library's items for encoders, training, search and the UI: images (with where
 * they are and whether they are online), captions (items of their own, linked to their image),
 * labels, attributes, thumbnails and model inputs. Each call reads one consistent snapshot.
 */
public final class ItemStore {
  private final Catalog catalog;

  public ItemStore(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * An image item.
   *
   * @param path one file holding it (a present one if any), absolute; null if it has none
   * @param online whether some file holding it is present (not missing, not on an offline root)
   */
  public record ImageItem(
      long id,
      String fingerprint,
      String format,
      int width,
      int height,
      Path path,
      boolean online) {}

  /** A caption item: {@code source} is sidecar, xmp, iptc, exif, csv or user. */
  public record CaptionItem(
      long id, long imageId, String source, String field, String text, String note) {}

  /** Every image item, by id. */
  public List<ImageItem> images() {
    return catalog.readSql(
        c -> {
          List<ImageItem> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT i.item_id, i.fingerprint, i.format, i.width, i.height,"
                          + " (SELECT r.path || '/' || f.rel_path FROM files f"
                          + "   JOIN roots r ON r.id = f.root_id WHERE f.item_id = i.item_id"
                          + "   ORDER BY f.presence = 'present' DESC, f.id LIMIT 1),"
                          + " EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.item_id"
                          + "   AND f.presence = 'present')"
                          + " FROM images i ORDER BY i.item_id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              String path = rs.getString(6);
              out.add(
                  new ImageItem(
                      rs.getLong(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getInt(4),
                      rs.getInt(5),
                      path == null ? null : PathText.toPath(path),
                      rs.getBoolean(7)));
            }
          }
          return out;
        });
  }

  /** Every caption item, by id. */
  public List<CaptionItem> captions() {
    return catalog.readSql(ItemStore::captions);
  }

  private static List<CaptionItem> captions(Connection c) throws SQLException {
    List<CaptionItem> out = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT item_id, image_id, source, field, text, note FROM captions ORDER BY item_id")) {
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new CaptionItem(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6)));
        }
      }
    }
    return out;
  }

  /** The label names of every labelled item (any source), by item id. */
  public Map<Long, List<String>> labels() {
    return catalog.readSql(
        c -> {
          Map<Long, List<String>> out = new LinkedHashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT DISTINCT il.item_id, l.name FROM item_labels il"
                          + " JOIN labels l ON l.id = il.label_id ORDER BY il.item_id, l.name");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
          }
          return out;
        });
  }

  /** When each image item was made, as far as its files tell (their latest mtime), by item id. */
  public Map<Long, Instant> dates() {
    return catalog.readSql(
        c -> {
          Map<Long, Instant> dates = new HashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT item_id, max(mtime_ns) FROM files"
                          + " WHERE item_id IS NOT NULL GROUP BY item_id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              dates.put(rs.getLong(1), Instant.ofEpochSecond(0, rs.getLong(2)));
            }
          }
          return dates;
        });
  }

  /** Every item's value of attribute {@code key} (e.g. "split"), by item id. */
  public Map<Long, String> attribute(String key) {
    return catalog.readSql(
        c -> {
          Map<Long, String> out = new LinkedHashMap<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT item_id, value FROM item_attributes WHERE key = ? ORDER BY item_id")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
              }
            }
          }
          return out;
        });
  }

  /** The ids of every item of {@code kind}, ascending. */
  public long[] ids(ItemKind kind) {
    return catalog.readSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT id FROM items WHERE kind = ? ORDER BY id")) {
            st.setString(1, kind.sql());
            return Sql.longs(st).stream().mapToLong(Long::longValue).toArray();
          }
        });
  }

  /** The texts of the given caption items (unknown ids left out), in one snapshot. */
  public Map<Long, String> captionTexts(long[] captionIds) {
    return catalog.readSql(
        c -> {
          Map<Long, String> out = new HashMap<>();
          Sql.selectIn(
              c,
              "SELECT item_id, text FROM captions WHERE item_id IN (",
              new Object[0],
              captionIds,
              row -> out.put(row.getLong(1), row.getString(2)));
          return out;
        });
  }

  /** The thumbnails of several image items in one query (ids without one are left out). */
  public Map<Long, StoredImage> thumbnails(long[] itemIds) {
    return catalog.readSql(
        c -> {
          Map<Long, StoredImage> out = new HashMap<>();
          Sql.selectIn(
              c,
              "SELECT item_id, width, height, format, bytes FROM thumbnails WHERE item_id IN (",
              new Object[0],
              itemIds,
              row ->
                  out.put(
                      row.getLong(1),
                      new StoredImage(
                          row.getInt(2), row.getInt(3), row.getString(4), row.getBytes(5))));
          return out;
        });
  }

  /** The stored thumbnail of an image item (256 px long side by default). */
  public Optional<StoredImage> thumbnail(long itemId) {
    return catalog.readSql(c -> stored(c, "thumbnails", itemId));
  }

  /**
   * The model input of an image item: opaque sRGB, orientation applied, 224x224 by default (short
   * side scaled to the size, centre crop). Encoders read this instead of the original file.
   */
  public Optional<StoredImage> modelInput(long itemId) {
    return catalog.readSql(c -> modelInput(c, itemId));
  }

  /** The model inputs of several items in one snapshot (missing ids are left out). */
  public Map<Long, StoredImage> modelInputs(long[] itemIds) {
    return catalog.readSql(
        c -> {
          Map<Long, StoredImage> out = new LinkedHashMap<>();
          for (long id : itemIds) {
            modelInput(c, id).ifPresent(s -> out.put(id, s));
          }
          return out;
        });
  }

  /** An item's model input; a small square image has none of its own: its thumbnail is it. */
  private static Optional<StoredImage> modelInput(Connection c, long itemId) throws SQLException {
    Optional<StoredImage> own = stored(c, "model_inputs", itemId);
    return own.isPresent() ? own : stored(c, "thumbnails", itemId);
  }

  private static Optional<StoredImage> stored(Connection c, String table, long itemId)
      throws SQLException {
    // table is one of two constants, never user input
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT width, height, format, bytes FROM " + table + " WHERE item_id = ?")) {
      st.setLong(1, itemId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new StoredImage(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getBytes(4)))
            : Optional.empty();
      }
    }
  }

  /**
   * Everything the catalogue knows of one image item, for a preview: its content, the files that
   * hold it, its captions (with where each was read), labels (with their source) and attributes.
   */
  public record ImageDetails(
      long id,
      String format,
      int width,
      int height,
      long byteSize,
      List<FileCopy> files,
      List<CaptionItem> captions,
      List<LabelOf> labels,
      Map<String, String> attributes) {}

  /** A library file holding an item: {@code presence} is present, missing or offline. */
  public record FileCopy(Path path, long byteSize, Instant modified, String presence) {}

  /** A label of an item and where it came from (xmp, iptc, csv, folder, user). */
  public record LabelOf(String name, String source) {}

  /** The details of image item {@code itemId}, read in one snapshot; empty if there is none. */
  public Optional<ImageDetails> details(long itemId) {
    return catalog.readSql(
        c -> {
          String format;
          int width;
          int height;
          long byteSize;
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT format, width, height, byte_size FROM images WHERE item_id = ?")) {
            st.setLong(1, itemId);
            try (ResultSet rs = st.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              format = rs.getString(1);
              width = rs.getInt(2);
              height = rs.getInt(3);
              byteSize = rs.getLong(4);
            }
          }
          List<FileCopy> files = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT r.path, f.rel_path, f.byte_size, f.mtime_ns, f.presence"
                      + " FROM files f JOIN roots r ON r.id = f.root_id WHERE f.item_id = ?"
                      + " ORDER BY f.presence = 'present' DESC, f.id")) {
            st.setLong(1, itemId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                files.add(
                    new FileCopy(
                        PathText.resolve(PathText.toPath(rs.getString(1)), rs.getString(2)),
                        rs.getLong(3),
                        Instant.ofEpochSecond(0, rs.getLong(4)),
                        rs.getString(5)));
              }
            }
          }
          List<CaptionItem> captions = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT item_id, image_id, source, field, text, note FROM captions"
                      + " WHERE image_id = ? ORDER BY item_id")) {
            st.setLong(1, itemId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                captions.add(
                    new CaptionItem(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)));
              }
            }
          }
          List<LabelOf> labels = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT l.name, il.source FROM item_labels il JOIN labels l ON l.id = il.label_id"
                      + " WHERE il.item_id = ? ORDER BY l.name, il.source")) {
            st.setLong(1, itemId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                labels.add(new LabelOf(rs.getString(1), rs.getString(2)));
              }
            }
          }
          Map<String, String> attributes = new LinkedHashMap<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT key, value FROM item_attributes WHERE item_id = ? ORDER BY key")) {
            st.setLong(1, itemId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                attributes.put(rs.getString(1), rs.getString(2));
              }
            }
          }
          return Optional.of(
              new ImageDetails(
                  itemId, format, width, height, byteSize, files, captions, labels, attributes));
        });
  }

  /** Every label name in use, with how many items carry it, by name. */
  public Map<String, Integer> labelCounts() {
    return catalog.readSql(
        c -> {
          Map<String, Integer> out = new LinkedHashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT l.name, count(DISTINCT il.item_id) FROM labels l"
                          + " JOIN item_labels il ON il.label_id = l.id"
                          + " GROUP BY l.id ORDER BY l.name COLLATE NOCASE");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getInt(2));
            }
          }
          return out;
        });
  }
}

package app.tessera.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Image items: one per distinct content (several files may hold it), with the thumbnail and model
 * input made when it was decoded.
 */
public final class ImageRepository {
  /** Rows per multi-row insert; chunks are powers of two up to this, so few statements exist. */
  private static final int MAX_ROWS_PER_INSERT = 32;

  private final Connection c;

  ImageRepository(Connection c) {
    this.c = c;
  }

  /** The image item with this content fingerprint, if any. */
  public Long byFingerprint(String fingerprint) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT item_id FROM images WHERE fingerprint = ?")) {
            st.setString(1, fingerprint);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getLong(1) : null;
            }
          }
        });
  }

  /** Every known image fingerprint. */
  public Set<String> fingerprints() {
    return Sql.run(
        () -> {
          Set<String> out = new HashSet<>();
          try (PreparedStatement st = c.prepareStatement("SELECT fingerprint FROM images");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  /** A new image item holding {@code content}; returns its id. */
  public long add(ImageContent content) {
    long itemId = Sql.run(() -> insertItem(c, "image"));
    put(itemId, content, false);
    return itemId;
  }

  static long insertItem(Connection c, String kind) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("INSERT INTO items (kind, created_at) VALUES (?, ?) RETURNING id")) {
      st.setString(1, kind);
      st.setLong(2, System.currentTimeMillis());
      return Sql.insertedId(st);
    }
  }

  /**
   * Writes (inserts or replaces) the image row, thumbnail and model input of an image item. A
   * replaced content ({@code replacesContent}) also drops the item's cached features and codes,
   * which no longer match it.
   */
  public void put(long itemId, ImageContent content, boolean replacesContent) {
    Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO images (item_id, fingerprint, byte_size, format, width,"
                      + " height, decoded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, itemId);
            st.setString(2, content.fingerprint());
            st.setLong(3, content.byteSize());
            st.setString(4, content.format());
            st.setInt(5, content.width());
            st.setInt(6, content.height());
            st.setLong(7, System.currentTimeMillis());
            st.executeUpdate();
          }
          putStoredImage("thumbnails", itemId, content.thumbnail());
          if (!content.thumbnail().sameAs(content.modelInput())) {
            putStoredImage("model_inputs", itemId, content.modelInput());
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
          return null;
        });
  }

  private void putStoredImage(String table, long itemId, StoredImage image) throws SQLException {
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

  /**
   * Inserts new images, each with its item, image row, thumbnail, model input (unless it is the
   * thumbnail) and file row, many rows per statement: for small files one statement per row costs
   * the single writer more than the rows themselves. The ids are chosen here, after the largest
   * ones in use (what SQLite itself would choose), so no result order needs trusting. Returns the
   * ids in the order given.
   */
  public List<NewImage.Ids> insertNew(List<NewImage> images) {
    return Sql.run(() -> insertNewRows(images));
  }

  private List<NewImage.Ids> insertNewRows(List<NewImage> images) throws SQLException {
    long item = maxId("items");
    long file = maxId("files");
    List<NewImage.Ids> ids = new ArrayList<>(images.size());
    List<Row<NewImage>> rows = new ArrayList<>(images.size());
    for (NewImage image : images) {
      NewImage.Ids id = new NewImage.Ids(++item, ++file);
      ids.add(id);
      rows.add(new Row<>(image, id));
    }
    long now = System.currentTimeMillis();
    insertRows(
        "items (id, kind, created_at)",
        3,
        rows,
        (st, at, row) -> {
          st.setLong(at, row.ids().itemId());
          st.setString(at + 1, "image");
          st.setLong(at + 2, now);
        });
    insertRows(
        "images (item_id, fingerprint, byte_size, format, width, height, decoded_at)",
        7,
        rows,
        (st, at, row) -> {
          ImageContent content = row.value().content();
          st.setLong(at, row.ids().itemId());
          st.setString(at + 1, content.fingerprint());
          st.setLong(at + 2, content.byteSize());
          st.setString(at + 3, content.format());
          st.setInt(at + 4, content.width());
          st.setInt(at + 5, content.height());
          st.setLong(at + 6, now);
        });
    List<Row<StoredImage>> thumbnails = new ArrayList<>();
    List<Row<StoredImage>> ownInputs = new ArrayList<>();
    for (Row<NewImage> row : rows) {
      ImageContent content = row.value().content();
      thumbnails.add(new Row<>(content.thumbnail(), row.ids()));
      if (!content.thumbnail().sameAs(content.modelInput())) {
        ownInputs.add(new Row<>(content.modelInput(), row.ids()));
      }
    }
    for (var table :
        List.of(Map.entry("thumbnails", thumbnails), Map.entry("model_inputs", ownInputs))) {
      insertRows(
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
        "files (id, root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id, presence,"
            + " sidecar_stamp, seen_at)",
        10,
        rows,
        (st, at, row) -> {
          FileFacts facts = row.value().file();
          st.setLong(at, row.ids().fileId());
          st.setLong(at + 1, facts.rootId());
          st.setString(at + 2, facts.relPath());
          st.setLong(at + 3, facts.size());
          st.setLong(at + 4, facts.mtimeNs());
          st.setString(at + 5, row.value().content().fingerprint());
          st.setLong(at + 6, row.ids().itemId());
          st.setString(at + 7, "present");
          st.setLong(at + 8, facts.sidecarStamp());
          st.setLong(at + 9, now);
        });
    return ids;
  }

  /** A value to insert and the ids of the new image it belongs to. */
  private record Row<T>(T value, NewImage.Ids ids) {}

  private long maxId(String table) throws SQLException {
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

  /** {@code INSERT INTO target VALUES (...), (...), ...}: the rows, {@code columns} each. */
  private <T> void insertRows(String target, int columns, List<T> rows, RowBinder<T> binder)
      throws SQLException {
    String row = "(" + Sql.parameters(columns) + ")";
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
}

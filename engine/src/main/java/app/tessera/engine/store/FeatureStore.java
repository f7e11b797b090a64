package app.tessera.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature cache: one vector per (item, encoder), so an encoder runs once per item; stored as
 * float32, or as half precision when that loses nothing (token features; {@link
 * Blobs#ofFloatsCompact}), the blob's length telling which. An encoder id names the encoder and its
 * version (e.g. {@code minilm-l6-v2-q}); a changed encoder must use a new id. Ingest drops an
 * item's features when its content changes.
 */
public final class FeatureStore {
  private final Catalog catalog;

  public FeatureStore(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Stores (or replaces) the vectors of {@code itemIds} for {@code encoder}, in one transaction.
   */
  public void put(String encoder, long[] itemIds, float[][] vectors) {
    if (itemIds.length != vectors.length) {
      throw new IllegalArgumentException(
          itemIds.length + " ids but " + vectors.length + " vectors");
    }
    long now = System.currentTimeMillis();
    catalog.writeSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO features (item_id, encoder, dim, vector, created_at)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < itemIds.length; i++) {
              st.setLong(1, itemIds[i]);
              st.setString(2, encoder);
              st.setInt(3, vectors[i].length);
              st.setBytes(4, Blobs.ofFloatsCompact(vectors[i]));
              st.setLong(5, now);
              st.addBatch();
            }
            st.executeBatch();
          }
          return null;
        });
  }

  /**
   * The cached vectors of {@code encoder} for {@code itemIds}, read from their stored form only
   * now: row {@code i} belongs to {@code itemIds[i]}, null where that item has none.
   */
  public float[][] get(String encoder, long[] itemIds) {
    return catalog.readSql(
        c -> {
          Map<Long, float[]> found = new HashMap<>(itemIds.length * 2);
          Sql.selectIn(
              c,
              "SELECT item_id, vector, dim FROM features WHERE encoder = ? AND item_id IN (",
              new Object[] {encoder},
              itemIds,
              row -> found.put(row.getLong(1), Blobs.toFloats(row.getBytes(2), row.getInt(3))));
          float[][] out = new float[itemIds.length][];
          for (int i = 0; i < itemIds.length; i++) {
            out[i] = found.get(itemIds[i]);
          }
          return out;
        });
  }

  /** Every vector of {@code encoder}, by item id. */
  public Map<Long, float[]> all(String encoder) {
    return catalog.readSql(
        c -> {
          Map<Long, float[]> out = new LinkedHashMap<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT item_id, vector, dim FROM features WHERE encoder = ? ORDER BY item_id")) {
            st.setString(1, encoder);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getLong(1), Blobs.toFloats(rs.getBytes(2), rs.getInt(3)));
              }
            }
          }
          return out;
        });
  }

  /** Items of {@code kind} that have no vector for {@code encoder} yet, ascending. */
  public List<Long> missing(String encoder, ItemKind kind) {
    return catalog.readSql(
        c -> {
          List<Long> out = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT i.id FROM items i WHERE i.kind = ? AND NOT EXISTS"
                      + " (SELECT 1 FROM features f WHERE f.item_id = i.id AND f.encoder = ?)"
                      + " ORDER BY i.id")) {
            st.setString(1, kind.sql());
            st.setString(2, encoder);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
          }
          return out;
        });
  }

  /** Drops every cached vector of the given items (inside the caller's transaction). */
  static void deleteForItem(Connection c, long itemId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM features WHERE item_id = ?")) {
      st.setLong(1, itemId);
      st.executeUpdate();
    }
  }
}

package app.tessera.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Cached features inside a {@link Transaction}, so that they commit with the rows they belong to.
 * {@link FeatureStore} is the same cache outside a transaction.
 */
public final class FeatureRepository {
  private final Connection c;

  FeatureRepository(Connection c) {
    this.c = c;
  }

  /**
   * Stores the vectors of {@code itemIds} for {@code encoder} where an item has none yet; returns
   * how many were stored.
   */
  public int putIfAbsent(String encoder, long[] itemIds, float[][] vectors) {
    if (itemIds.length != vectors.length) {
      throw new IllegalArgumentException(
          itemIds.length + " ids but " + vectors.length + " vectors");
    }
    long now = System.currentTimeMillis();
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO features (item_id, encoder, dim, vector, created_at)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < itemIds.length; i++) {
              st.setLong(1, itemIds[i]);
              st.setString(2, encoder);
              st.setInt(3, vectors[i].length);
              st.setBytes(4, Blobs.ofFloats(vectors[i]));
              st.setLong(5, now);
              st.addBatch();
            }
            int stored = 0;
            for (int n : st.executeBatch()) {
              stored += n > 0 ? 1 : 0;
            }
            return stored;
          }
        });
  }
}

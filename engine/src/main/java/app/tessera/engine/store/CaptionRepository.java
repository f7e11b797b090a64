package app.tessera.engine.store;

import app.tessera.engine.Hashes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Captions: items of their own, linked to their image, de-duplicated per image and source. */
public final class CaptionRepository {
  private final Connection c;

  CaptionRepository(Connection c) {
    this.c = c;
  }

  /**
   * Adds a caption item for {@code imageId} (read from file {@code fileId}, or null) unless the
   * same text from the same source is already there; returns true if added.
   */
  public boolean add(long imageId, Long fileId, NewCaption caption) {
    return Sql.run(
        () -> {
          String hash = Hashes.sha256(caption.text());
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
          long itemId = ImageRepository.insertItem(c, "caption");
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO captions (item_id, image_id, source, field, file_id, text,"
                      + " text_hash, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, itemId);
            st.setLong(2, imageId);
            st.setString(3, caption.source());
            st.setString(4, caption.field());
            Sql.setLongOrNull(st, 5, fileId);
            st.setString(6, caption.text());
            st.setString(7, hash);
            st.setString(8, caption.note());
            st.executeUpdate();
          }
          return true;
        });
  }

  /**
   * For generated benchmark libraries only ({@code tessera bench search --fused}, a million rows in
   * a minute): for each text, a bare image item (no file and no image row, so never shown, scanned
   * or coded) and that text as its one caption (source csv), the two items numbered in turn.
   * Returns the caption items' ids, in order.
   */
  public long[] addGenerated(List<String> texts) {
    return Sql.run(
        () -> {
          long id;
          try (PreparedStatement max =
                  c.prepareStatement("SELECT coalesce(max(id), 0) FROM items");
              ResultSet rs = max.executeQuery()) {
            id = rs.next() ? rs.getLong(1) : 0;
          }
          long[] captionIds = new long[texts.size()];
          try (PreparedStatement item =
                  c.prepareStatement("INSERT INTO items (id, kind, created_at) VALUES (?, ?, ?)");
              PreparedStatement caption =
                  c.prepareStatement(
                      "INSERT INTO captions (item_id, image_id, source, text, text_hash)"
                          + " VALUES (?, ?, 'csv', ?, ?)")) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < texts.size(); i++) {
              long image = ++id;
              captionIds[i] = ++id;
              for (Object[] row : new Object[][] {{image, "image"}, {captionIds[i], "caption"}}) {
                item.setLong(1, (Long) row[0]);
                item.setString(2, (String) row[1]);
                item.setLong(3, now);
                item.addBatch();
              }
              caption.setLong(1, captionIds[i]);
              caption.setLong(2, image);
              caption.setString(3, texts.get(i));
              caption.setString(4, Hashes.sha256(texts.get(i)));
              caption.addBatch();
            }
            item.executeBatch();
            caption.executeBatch();
          }
          return captionIds;
        });
  }

  /** The caption item of {@code imageId} with this source and text, if there is one. */
  public Long itemId(long imageId, String source, String text) {
    return Sql.run(
        () -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT item_id FROM captions WHERE image_id = ? AND source = ?"
                      + " AND text_hash = ?")) {
            st.setLong(1, imageId);
            st.setString(2, source);
            st.setString(3, Hashes.sha256(text));
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getLong(1) : null;
            }
          }
        });
  }

  /**
   * Makes the file-derived captions (sidecar, XMP, IPTC, EXIF) that {@code fileId} gave {@code
   * imageId} equal to {@code captions}: stale ones (their caption items, features and codes) are
   * deleted, new ones added, unchanged ones keep their item id and so their features and codes.
   */
  public void replaceFromFile(long imageId, long fileId, List<NewCaption> captions) {
    Sql.run(
        () -> {
          Set<String> wanted = new HashSet<>();
          for (NewCaption caption : captions) {
            wanted.add(caption.source() + "\u0000" + Hashes.sha256(caption.text()));
          }
          Set<Long> stale = new HashSet<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT item_id, source, text_hash FROM captions WHERE image_id = ?"
                      + " AND file_id = ? AND source IN ('sidecar', 'xmp', 'iptc', 'exif')")) {
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
          deleteItems(c, new ArrayList<>(stale));
          for (NewCaption caption : captions) {
            add(imageId, fileId, caption);
          }
          return null;
        });
  }

  /** Deletes items (with everything that cascades from them) and their codes. */
  static int deleteItems(Connection c, List<Long> ids) throws SQLException {
    int deleted = 0;
    try (PreparedStatement del = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
      for (long id : ids) {
        del.setLong(1, id);
        deleted += del.executeUpdate();
      }
    }
    if (!ids.isEmpty()) {
      CodeStore.removeItemsFromAllModels(c, new HashSet<>(ids));
    }
    return deleted;
  }
}

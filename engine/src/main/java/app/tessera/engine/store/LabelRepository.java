package app.tessera.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** Labels and free-form attributes of items. */
public final class LabelRepository {
  private final Connection c;

  LabelRepository(Connection c) {
    this.c = c;
  }

  /** Adds a label that no file gave (csv, user) to an item; returns true if it was new. */
  public boolean add(long itemId, NewLabel label) {
    return add(itemId, null, label);
  }

  /**
   * Adds a label to an item, read from file {@code fileId} (XMP, IPTC, folder) or from none (null);
   * returns true if it was new.
   */
  public boolean add(long itemId, Long fileId, NewLabel label) {
    return Sql.run(
        () -> {
          long labelId = labelId(label.name());
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO item_labels (item_id, label_id, source, file_id)"
                      + " VALUES (?, ?, ?, ?)")) {
            st.setLong(1, itemId);
            st.setLong(2, labelId);
            st.setString(3, label.source());
            Sql.setLongOrNull(st, 4, fileId);
            return st.executeUpdate() > 0;
          }
        });
  }

  private long labelId(String name) throws SQLException {
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

  /**
   * Makes the labels file {@code fileId} gives (from {@code sources}) equal to {@code labels}, on
   * item {@code itemId}: what it gave before, to this item or another one, is removed; what other
   * files of the item gave stays.
   */
  public void replaceFromFile(
      long fileId, long itemId, Set<String> sources, List<NewLabel> labels) {
    Sql.run(
        () -> {
          try (PreparedStatement del =
              c.prepareStatement("DELETE FROM item_labels WHERE file_id = ? AND source = ?")) {
            for (String source : sources) {
              del.setLong(1, fileId);
              del.setString(2, source);
              del.executeUpdate();
            }
          }
          return null;
        });
    for (NewLabel label : labels) {
      add(itemId, fileId, label);
    }
  }

  /** Sets an attribute (e.g. split = train); returns true if the value changed. */
  public boolean setAttribute(long itemId, String key, String value) {
    return Sql.run(
        () -> {
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
        });
  }
}

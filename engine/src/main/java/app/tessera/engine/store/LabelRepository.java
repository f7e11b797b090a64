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

  /** Adds a label to an item; returns true if it was new. */
  public boolean add(long itemId, NewLabel label) {
    return Sql.run(
        () -> {
          long labelId = labelId(label.name());
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO item_labels (item_id, label_id, source)"
                      + " VALUES (?, ?, ?)")) {
            st.setLong(1, itemId);
            st.setLong(2, labelId);
            st.setString(3, label.source());
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

  /** Replaces the labels an item has from {@code sources} by {@code labels}. */
  public void replace(long itemId, Set<String> sources, List<NewLabel> labels) {
    Sql.run(
        () -> {
          try (PreparedStatement del =
              c.prepareStatement("DELETE FROM item_labels WHERE item_id = ? AND source = ?")) {
            for (String source : sources) {
              del.setLong(1, itemId);
              del.setString(2, source);
              del.executeUpdate();
            }
          }
          return null;
        });
    for (NewLabel label : labels) {
      add(itemId, label);
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

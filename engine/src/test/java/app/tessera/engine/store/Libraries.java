package app.tessera.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Store test helpers. */
final class Libraries {
  private Libraries() {}

  static long blocks(Catalog catalog, long modelId) {
    return catalog.readSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT count(*) FROM code_blocks WHERE model_id = ?")) {
            st.setLong(1, modelId);
            try (ResultSet rs = st.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }
}

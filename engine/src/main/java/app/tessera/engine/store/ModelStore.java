package app.tessera.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry of trained hashing models. A model's saved form lives either in a file ({@code
 * path}) or in the catalogue itself ({@code blob}); its codes are in {@link CodeStore}. Deleting a
 * model deletes its codes.
 */
public final class ModelStore {
  private final Catalog catalog;

  public ModelStore(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * A registered model. {@code metricsJson} is free-form JSON (e.g. mAP per direction); {@code
   * path} or {@code blob} (or both) hold the saved model.
   */
  public record Model(
      long id,
      String name,
      String method,
      int bits,
      String imageEncoder,
      String textEncoder,
      String data,
      String metricsJson,
      long createdAt,
      String path,
      byte[] blob) {}

  /**
   * Registers a model and returns its id ({@code id} and {@code createdAt} of the argument are
   * ignored).
   */
  public long add(Model model) {
    if (model.bits() <= 0) {
      throw new IllegalArgumentException("bits must be positive");
    }
    return catalog.writeSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO models (name, method, bits, image_encoder, text_encoder, data,"
                      + " metrics, created_at, path, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            st.setString(1, model.name());
            st.setString(2, model.method());
            st.setInt(3, model.bits());
            st.setString(4, model.imageEncoder());
            st.setString(5, model.textEncoder());
            st.setString(6, model.data());
            st.setString(7, model.metricsJson());
            st.setLong(8, System.currentTimeMillis());
            st.setString(9, model.path());
            if (model.blob() == null) {
              st.setNull(10, Types.BLOB);
            } else {
              st.setBytes(10, model.blob());
            }
            return Sql.insertedId(st);
          }
        });
  }

  /** Updates the metrics JSON of a model (e.g. after an evaluation). */
  public void setMetrics(long id, String metricsJson) {
    catalog.writeSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("UPDATE models SET metrics = ? WHERE id = ?")) {
            st.setString(1, metricsJson);
            st.setLong(2, id);
            if (st.executeUpdate() == 0) {
              throw new IllegalArgumentException("no model with id " + id);
            }
          }
          return null;
        });
  }

  public Optional<Model> get(long id) {
    return catalog.readSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT " + COLUMNS + ", blob FROM models WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? Optional.of(model(rs, true)) : Optional.empty();
            }
          }
        });
  }

  /** Every model, newest first, without the saved-model BLOBs. */
  public List<Model> list() {
    return catalog.readSql(
        c -> {
          List<Model> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement("SELECT " + COLUMNS + " FROM models ORDER BY id DESC");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(model(rs, false));
            }
          }
          return out;
        });
  }

  /** The registered model called {@code name} (models are identified by their bundle's name). */
  public Optional<Model> byName(String name) {
    return list().stream().filter(model -> model.name().equals(name)).findFirst();
  }

  /** The id of the model searches use by default, if one was chosen. */
  public Optional<Long> active() {
    if (catalog.version() < 3) {
      return Optional.empty(); // an older library opened read-only: no setting yet
    }
    return catalog.readSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT CAST(value AS INTEGER) FROM library_settings s"
                      + " JOIN models m ON m.id = CAST(s.value AS INTEGER)"
                      + " WHERE s.key = 'active_model'")) {
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
          }
        });
  }

  /** Makes model {@code id} the one searches use by default. */
  public void setActive(long id) {
    catalog.writeSql(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO library_settings (key, value)"
                      + " SELECT 'active_model', id FROM models WHERE id = ?"
                      + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            st.setLong(1, id);
            if (st.executeUpdate() == 0) {
              throw new IllegalArgumentException("no model with id " + id);
            }
          }
          return null;
        });
  }

  /** Deletes a model and all its codes. */
  public boolean delete(long id) {
    return catalog.writeSql(
        c -> {
          try (PreparedStatement st = c.prepareStatement("DELETE FROM models WHERE id = ?")) {
            st.setLong(1, id);
            return st.executeUpdate() > 0;
          }
        });
  }

  private static final String COLUMNS =
      "id, name, method, bits, image_encoder, text_encoder, data, metrics, created_at, path";

  private static Model model(ResultSet rs, boolean withBlob) throws SQLException {
    return new Model(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getLong(9),
        rs.getString(10),
        withBlob ? rs.getBytes(11) : null);
  }
}

package app.tessera.engine.encode;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Where computed features are kept, per (item key, encoder id), so that retraining a hashing model
 * never decodes or encodes an item twice. {@link FileFeatureStore} serves dataset folders; a
 * library's catalogue provides its own implementation over its {@code features} table.
 */
public interface FeatureStore {
  /**
   * The stored vectors of {@code encoderId} for those of {@code keys} that have one; keys without a
   * stored vector are absent from the map.
   */
  Map<String, float[]> load(String encoderId, Collection<String> keys) throws IOException;

  /** Stores (or replaces) vectors of {@code encoderId} by item key. */
  void save(String encoderId, Map<String, float[]> features) throws IOException;
}

package app.tessera.engine.encode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads features from a {@link FeatureStore}, computing and storing only the missing ones. */
public final class CachedFeatures {
  private CachedFeatures() {}

  /**
   * The features of {@code keys} under {@code encoderId}, in order: stored rows are read, the rest
   * are computed in one call of {@code compute} (given the indexes of the missing keys, returning
   * one row per index) and stored.
   */
  public static float[][] get(
      FeatureStore store,
      String encoderId,
      List<String> keys,
      Function<List<Integer>, float[][]> compute)
      throws IOException {
    Map<String, float[]> stored = store.load(encoderId, keys);
    float[][] out = new float[keys.size()][];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      out[i] = stored.get(keys.get(i));
      if (out[i] == null) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      float[][] computed = compute.apply(missing);
      if (computed.length != missing.size()) {
        throw new IllegalStateException(
            "encoder returned " + computed.length + " rows for " + missing.size() + " items");
      }
      Map<String, float[]> fresh = new LinkedHashMap<>();
      for (int m = 0; m < missing.size(); m++) {
        int i = missing.get(m);
        out[i] = computed[m];
        fresh.put(keys.get(i), computed[m]);
      }
      store.save(encoderId, fresh);
    }
    return out;
  }
}

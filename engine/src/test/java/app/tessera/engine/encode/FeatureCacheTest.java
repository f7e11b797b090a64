package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
  @TempDir Path dir;

  @Test
  void returnsIdenticalFeaturesWithoutRecomputingAndComputesOnlyNewItems() throws IOException {
    long seed = 5;
    Random random = new Random(seed);
    FileFeatureStore store = new FileFeatureStore(dir.resolve("cache"));
    List<String> keys = List.of("a/1", "b/2", "c/3");
    List<List<Integer>> calls = new ArrayList<>();
    float[][] first =
        CachedFeatures.get(
            store,
            "enc@1",
            keys,
            missing -> {
              calls.add(missing);
              float[][] rows = new float[missing.size()][4];
              for (float[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                  row[j] = (float) random.nextGaussian();
                }
              }
              return rows;
            });
    assertThat(calls).containsExactly(List.of(0, 1, 2));

    FileFeatureStore reopened = new FileFeatureStore(dir.resolve("cache"));
    float[][] second =
        CachedFeatures.get(
            reopened,
            "enc@1",
            keys,
            missing -> {
              throw new AssertionError("recomputed " + missing + " (seed " + seed + ")");
            });
    for (int i = 0; i < keys.size(); i++) {
      assertThat(second[i]).containsExactly(first[i]);
    }

    List<String> more = List.of("c/3", "d/4");
    float[][] third =
        CachedFeatures.get(
            reopened,
            "enc@1",
            more,
            missing -> {
              assertThat(missing).containsExactly(1);
              return new float[][] {{1, 2, 3, 4}};
            });
    assertThat(third[0]).containsExactly(first[2]);
    assertThat(third[1]).containsExactly(1, 2, 3, 4);
    // Another encoder id never sees these rows.
    assertThat(reopened.load("enc@2", keys)).isEmpty();
  }

  @Test
  void aDamagedCacheFileIsRecomputedNotFatal() throws IOException {
    FileFeatureStore store = new FileFeatureStore(dir);
    store.save("enc@1", java.util.Map.of("x", new float[] {1, 2}));
    Files.write(store.file("enc@1"), new byte[] {1, 2, 3});
    assertThat(store.load("enc@1", List.of("x"))).isEmpty();
  }
}

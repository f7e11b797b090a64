package app.tessera.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.code.BinaryCodes;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CodeStore, FeatureStore and ModelStore. */
class RepositoriesTest {
  private static final long SEED = 20261123L;
  @TempDir Path tmp;

  private static long model(ModelStore models, int bits) {
    return models.add(
        new ModelStore.Model(
            0, "m" + bits, "bilgseh", bits, "cnn", "minilm", "emoji-xm", "{}", 0, null, null));
  }

  private static long[] ids(int from, int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = from + i;
    }
    return ids;
  }

  private static long[] randomCodes(Random random, int n, int bits) {
    int words = BinaryCodes.wordsPerCode(bits);
    long[] codes = new long[n * words];
    long lastMask = bits % 64 == 0 ? -1L : (1L << (bits % 64)) - 1;
    for (int i = 0; i < codes.length; i++) {
      codes[i] = random.nextLong();
      if (i % words == words - 1) {
        codes[i] &= lastMask;
      }
    }
    return codes;
  }

  @Test
  void codesRoundTripAcrossBlocksAndModelsNeverMix() {
    Random random = new Random(SEED);
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      ModelStore models = new ModelStore(catalog);
      CodeStore store = new CodeStore(catalog);
      long m96 = model(models, 96);
      long m16 = model(models, 16);
      int n = CodeStore.BLOCK_SIZE * 2 + 123;
      long[] codes = randomCodes(random, n, 96);
      store.put(m96, ids(1, 5000), java.util.Arrays.copyOf(codes, 5000 * 2), 96);
      store.put(m96, ids(5001, n - 5000), java.util.Arrays.copyOfRange(codes, 5000 * 2, n * 2), 96);
      long[] small = randomCodes(random, 10, 16);
      store.put(m16, ids(1, 10), small, 16);

      CodeStore.Codes loaded = store.load(m96);
      assertThat(loaded.bits()).as("seed " + SEED).isEqualTo(96);
      assertThat(loaded.itemIds()).isEqualTo(ids(1, n));
      assertThat(loaded.codes()).isEqualTo(codes);
      assertThat(store.load(m16).codes()).isEqualTo(small);
      assertThat(Libraries.blocks(catalog, m96))
          .isEqualTo(3); // 5000 + the rest, refilled to 8192 per block
    }
  }

  @Test
  void putReplacesAnItemsCodeAndRemoveRewritesOnlyItsBlock() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long m = model(new ModelStore(catalog), 64);
      CodeStore store = new CodeStore(catalog);
      store.put(m, new long[] {1, 2, 3}, new long[] {10, 20, 30}, 64);
      store.put(m, new long[] {2}, new long[] {99}, 64);
      CodeStore.Codes codes = store.load(m);
      assertThat(codes.itemIds()).containsExactly(1, 3, 2);
      assertThat(codes.codes()).containsExactly(10, 30, 99);
      store.removeItemsFromAllModels(Set.of(1L, 3L));
      assertThat(store.load(m).itemIds()).containsExactly(2);
      store.put(m, new long[] {7, 5}, new long[] {70, 50}, 64);
      assertThat(store.ids(m)).containsExactly(2, 5, 7);
      store.remove(m, Set.of(2L, 9L));
      assertThat(store.load(m).itemIds()).containsExactly(7, 5);
      assertThat(store.load(m).codes()).containsExactly(70, 50);
    }
  }

  @Test
  void wrongLengthsAreRejected() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long m = model(new ModelStore(catalog), 32);
      CodeStore store = new CodeStore(catalog);
      assertThatThrownBy(() -> store.put(m, new long[] {1}, new long[] {1}, 64))
          .hasMessageContaining("32-bit");
      assertThatThrownBy(() -> store.put(m, new long[] {1, 2}, new long[] {1}, 32))
          .hasMessageContaining("2 ids need 2 words");
      assertThatThrownBy(() -> store.put(m, new long[] {1, 1}, new long[] {1, 2}, 32))
          .hasMessageContaining("twice");
      assertThatThrownBy(() -> store.load(999)).hasMessageContaining("no model");
    }
  }

  @Test
  void deletingAModelDeletesItsCodes() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      ModelStore models = new ModelStore(catalog);
      long m = model(models, 8);
      new CodeStore(catalog).put(m, new long[] {1}, new long[] {3}, 8);
      assertThat(models.list()).extracting(ModelStore.Model::name).containsExactly("m8");
      assertThat(models.delete(m)).isTrue();
      assertThat(Libraries.blocks(catalog, m)).isZero();
    }
  }

  @Test
  void featuresAreCachedPerItemAndEncoder() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long a = catalog.writeSql(c -> ImageRepository.insertItem(c, "image"));
      long b = catalog.writeSql(c -> ImageRepository.insertItem(c, "image"));
      FeatureStore features = new FeatureStore(catalog);
      features.put("cnn-v1", new long[] {a}, new float[][] {{1f, -2.5f, 3e-7f}});
      float[][] rows = features.get("cnn-v1", new long[] {b, a, a});
      assertThat(rows[0]).isNull();
      assertThat(rows[1]).containsExactly(1f, -2.5f, 3e-7f);
      assertThat(rows[2]).containsExactly(1f, -2.5f, 3e-7f);
      assertThat(features.missing("cnn-v1", ItemKind.IMAGE)).containsExactly(b);
      assertThat(features.missing("cnn-v1", ItemKind.CAPTION)).isEmpty();
      assertThat(features.all("other")).isEmpty();
      Map<Long, float[]> all = features.all("cnn-v1");
      assertThat(all).hasSize(1);

      // Token features (every value a half-precision number) take two bytes a value, losslessly.
      float[] tokens = {1f, -2.5f, 0.099975586f, 0f};
      features.put("cnn-v1#tokens", new long[] {a}, new float[][] {tokens});
      assertThat(features.get("cnn-v1#tokens", new long[] {a})[0]).containsExactly(tokens);
      assertThat(features.all("cnn-v1#tokens").get(a)).containsExactly(tokens);
      assertThat(Blobs.ofFloatsCompact(tokens)).hasSize(2 * tokens.length);
      assertThat(Blobs.ofFloatsCompact(new float[] {3e-7f, 1f})).hasSize(8); // not half: 4 bytes
    }
  }

  @Test
  void modelsKeepTheirMetadataAndBlob() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      ModelStore models = new ModelStore(catalog);
      long id =
          models.add(
              new ModelStore.Model(
                  0, "x", "dch", 64, "clip", "minilm", "d", null, 0, null, new byte[] {1, 2, 3}));
      models.setMetrics(id, "{\"mAP\":0.5}");
      ModelStore.Model m = models.get(id).orElseThrow();
      assertThat(m.blob()).containsExactly(1, 2, 3);
      assertThat(m.metricsJson()).isEqualTo("{\"mAP\":0.5}");
      assertThat(m.createdAt()).isPositive();
    }
  }
}

package app.tessera.engine.hashing.contrastive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.RotationHashing;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.hashing.Validation;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContrastiveHashingTest {
  private static final long SEED = 7;
  private static final Map<String, String> FAST =
      Map.of("batch", "32", "lr", "0.003", "hidden", "64");

  @TempDir Path dir;

  /**
   * Pairs of {@code concepts} latent concepts seen through two different random linear "encoders"
   * plus noise; each concept has {@code styles} images sharing one caption. Labels: concept % 6.
   */
  static FeatureSet pairs(
      Random random, float[][] imageMix, float[][] textMix, int concepts, int styles) {
    int latent = imageMix[0].length;
    List<float[]> images = new ArrayList<>();
    List<float[]> texts = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    for (int c = 0; c < concepts; c++) {
      float[] z = gaussian(random, latent);
      float[] text = mix(textMix, z, random, 0.1f);
      for (int s = 0; s < styles; s++) {
        images.add(mix(imageMix, z, random, 0.3f));
        texts.add(text);
        float[] label = new float[6];
        label[c % 6] = 1;
        labels.add(label);
      }
    }
    return new FeatureSet(
        images.toArray(float[][]::new),
        texts.toArray(float[][]::new),
        labels.toArray(float[][]::new));
  }

  static float[][] randomMatrix(Random random, int rows, int cols) {
    float[][] m = new float[rows][];
    for (int i = 0; i < rows; i++) {
      m[i] = gaussian(random, cols);
    }
    return m;
  }

  private static float[] gaussian(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static float[] mix(float[][] matrix, float[] z, Random random, float noise) {
    float[] out = new float[matrix.length];
    for (int i = 0; i < matrix.length; i++) {
      float sum = 0;
      for (int j = 0; j < z.length; j++) {
        sum += matrix[i][j] * z[j];
      }
      out[i] = sum + noise * (float) random.nextGaussian();
    }
    return out;
  }

  @Test
  void learnsCodesThatRetrieveThePairedModalityAndSavesThemExactly() throws Exception {
    Random random = new Random(SEED);
    float[][] imageMix = randomMatrix(random, 40, 12);
    float[][] textMix = randomMatrix(random, 24, 12);
    FeatureSet train = pairs(random, imageMix, textMix, 120, 3);
    FeatureSet validation = pairs(random, imageMix, textMix, 30, 2);
    FeatureSet test = pairs(random, imageMix, textMix, 40, 2);

    List<Double> losses = new ArrayList<>();
    TrainingOptions options = new TrainingOptions(16, 2, SEED, Device.CPU, null, FAST);
    ContrastiveHashing method = new ContrastiveHashing();
    try (HashModel model =
        method.train(train, validation, options, (e, n, loss, score) -> losses.add(loss))) {
      assertThat(losses).as("seed %d", SEED).hasSize(2);
      assertThat(losses.get(1)).as("seed %d: loss falls", SEED).isLessThan(losses.get(0));

      long[] imageCodes = model.encodeImages(test.images());
      long[] textCodes = model.encodeTexts(test.texts());
      assertThat(imageCodes).hasSize(test.size());
      for (long word : imageCodes) {
        assertThat(word >>> 16).as("bits beyond K stay clear").isZero();
      }
      int[] groups = Validation.captionGroups(test.texts());
      Relevance samePair = Relevance.sameGroup(groups, groups);
      double chance = RetrievalEvaluator.chance(samePair).mapAll();
      double i2t = RetrievalEvaluator.hamming(imageCodes, textCodes, 16, samePair).mapAll();
      double t2i = RetrievalEvaluator.hamming(textCodes, imageCodes, 16, samePair).mapAll();
      assertThat(i2t).as("seed %d: i2t mAP vs chance %.3f", SEED, chance).isGreaterThan(4 * chance);
      assertThat(t2i).as("seed %d: t2i mAP vs chance %.3f", SEED, chance).isGreaterThan(4 * chance);

      model.save(dir.resolve("model"));
      try (HashModel loaded = method.load(dir.resolve("model"))) {
        assertThat(loaded.bits()).isEqualTo(16);
        assertThat(loaded.method()).isEqualTo("contrastive");
        assertThat(loaded.encodeImages(test.images())).isEqualTo(imageCodes);
        assertThat(loaded.encodeTexts(test.texts())).isEqualTo(textCodes);
      }
      float[] signs = BinaryCodes.unpack(imageCodes, 0, 16);
      for (float s : signs) {
        assertThat(s).isIn(-1f, 1f);
      }
    }
  }

  @Test
  void aRowHashesTheSameAloneAndInAnyBatch() {
    Random random = new Random(SEED + 3);
    float[][] imageMix = randomMatrix(random, 20, 6);
    float[][] textMix = randomMatrix(random, 12, 6);
    FeatureSet train = pairs(random, imageMix, textMix, 30, 2);
    Map<String, String> params = Map.of("batch", "16", "hidden", "32");
    try (ContrastiveHashModel model =
        (ContrastiveHashModel)
            new ContrastiveHashing()
                .train(
                    train,
                    train,
                    new TrainingOptions(16, 1, SEED, Device.CPU, null, params),
                    (e, n, l, s) -> {})) {
      float[][] rows = java.util.Arrays.copyOf(train.images(), 9);
      float[][] batched = model.outputs(model.heads().image(), rows, 20, "image");
      for (int size : new int[] {1, 2, 3, 5}) {
        for (int from = 0; from < rows.length; from += size) {
          float[][] part =
              java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + size));
          float[][] out = model.outputs(model.heads().image(), part, 20, "image");
          for (int i = 0; i < out.length; i++) {
            // Not merely the same signs: the same floats (DjlRuntime.MIN_ROWS).
            assertThat(out[i])
                .as("batch of %d, row %d", size, from + i)
                .isEqualTo(batched[from + i]);
          }
        }
      }
    }
  }

  @Test
  void resumesFromTheLastCheckpointedEpoch() {
    Random random = new Random(SEED + 1);
    float[][] imageMix = randomMatrix(random, 20, 6);
    float[][] textMix = randomMatrix(random, 12, 6);
    FeatureSet train = pairs(random, imageMix, textMix, 40, 2);
    FeatureSet validation = pairs(random, imageMix, textMix, 10, 2);
    Path checkpoints = dir.resolve("checkpoints");
    ContrastiveHashing method = new ContrastiveHashing();
    Map<String, String> params =
        Map.of("batch", "16", "hidden", "32", "patience", "100", "structure", "1");
    try (HashModel first =
        method.train(
            train,
            validation,
            new TrainingOptions(16, 2, SEED, Device.CPU, checkpoints, params),
            (e, n, l, s) -> {})) {
      assertThat(first.bits()).isEqualTo(16);
    }
    List<Integer> epochs = new ArrayList<>();
    try (HashModel resumed =
        method.train(
            train,
            validation,
            new TrainingOptions(16, 3, SEED, Device.CPU, checkpoints, params),
            (e, n, l, s) -> epochs.add(e))) {
      assertThat(epochs).containsExactly(3);
      assertThat(resumed.encodeTexts(validation.texts())).hasSize(validation.size());
    }
  }

  @Test
  void zeroEpochsMeansTheMethodsDefaultWithEarlyStopping() {
    Random random = new Random(SEED + 2);
    float[][] imageMix = randomMatrix(random, 10, 4);
    float[][] textMix = randomMatrix(random, 8, 4);
    FeatureSet train = pairs(random, imageMix, textMix, 20, 2);
    FeatureSet validation = pairs(random, imageMix, textMix, 6, 2);
    List<Integer> totals = new ArrayList<>();
    Map<String, String> params = Map.of("batch", "16", "hidden", "16", "patience", "1");
    try (HashModel model =
        new ContrastiveHashing()
            .train(
                train,
                validation,
                new TrainingOptions(16, 0, SEED, Device.CPU, null, params),
                (e, n, l, s) -> totals.add(n))) {
      assertThat(totals).isNotEmpty().allMatch(n -> n == ContrastiveHashing.DEFAULT_EPOCHS);
      assertThat(totals.size()).isLessThan(ContrastiveHashing.DEFAULT_EPOCHS);
      assertThat(model.bits()).isEqualTo(16);
    }
  }

  @Test
  void anUnknownSettingIsRejectedBeforeTraining() {
    Random random = new Random(SEED + 3);
    float[][] mix = randomMatrix(random, 4, 4);
    FeatureSet pairs = pairs(random, mix, mix, 8, 2);
    TrainingOptions typo =
        new TrainingOptions(16, 1, SEED, Device.CPU, null, Map.of("temprature", "0.3"));
    assertThatThrownBy(() -> new ContrastiveHashing().train(pairs, pairs, typo, (e, n, l, s) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown contrastive setting 'temprature'")
        .hasMessageContaining("temperature");
    TrainingOptions anything =
        new TrainingOptions(16, 1, SEED, Device.CPU, null, Map.of("hidden", "8"));
    assertThatThrownBy(
            () -> new RotationHashing().train(pairs, pairs, anything, (e, n, l, s) -> {}))
        .hasMessageContaining("rotation takes no settings");
  }
}

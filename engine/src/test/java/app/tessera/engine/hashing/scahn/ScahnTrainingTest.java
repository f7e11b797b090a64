package app.tessera.engine.hashing.scahn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.encode.TokenRows;
import app.tessera.engine.encode.Tokens;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.train.Checkpoint;
import app.tessera.engine.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScahnTrainingTest {

  @Test
  void aShortRunLowersTheLossGivesSignCodesAndSurvivesSaveAndLoad(@TempDir Path dir)
      throws Exception {
    long seed = 13;
    FeatureSet train = TinyTokens.generate(192, seed);
    FeatureSet validation = TinyTokens.generate(48, seed + 1);
    List<Double> losses = new ArrayList<>();
    TrainingOptions options =
        new TrainingOptions(16, 3, seed, Device.CPU, null, Map.of("batch", "48", "patience", "0"));
    try (HashModel model =
        HashingMethods.byName("scahn")
            .train(train, validation, options, (e, n, loss, score) -> losses.add(loss))) {
      assertThat(losses).as("seed %d", seed).hasSize(3);
      assertThat(losses.get(2)).as("losses %s, seed %d", losses, seed).isLessThan(losses.get(0));
      assertThat(model.readsTokens()).isTrue();

      ScahnModel scahn = (ScahnModel) model;
      float[][] real = scahn.embedTexts(validation.texts(), validation.textTokens().rows());
      long[] codes = validation.textCodes(model);
      for (int i = 0; i < real.length; i++) {
        float[] bits = BinaryCodes.unpack(codes, i, 16);
        for (int j = 0; j < 16; j++) {
          assertThat(bits[j]).isIn(-1f, 1f);
          assertThat(bits[j]).isEqualTo(real[i][j] >= 0 ? 1f : -1f);
        }
      }
      assertThatThrownBy(() -> model.encodeImages(validation.images()))
          .hasMessageContaining("tokens");

      model.save(dir);
      try (HashModel loaded = new Scahn().load(dir)) {
        assertThat(validation.imageCodes(loaded)).isEqualTo(validation.imageCodes(model));
        assertThat(validation.textCodes(loaded)).isEqualTo(codes);
        assertThat(((ScahnModel) loaded).settings()).containsEntry("ablate", "none");
      }
    }
  }

  @Test
  void aQueryIsCodedOnItsOwn() {
    long seed = 5;
    FeatureSet train = TinyTokens.generate(96, seed);
    TrainingOptions options =
        new TrainingOptions(16, 1, seed, Device.CPU, null, Map.of("batch", "32"));
    try (ScahnModel model = new Scahn().train(train, null, options, null)) {
      long[] all = train.imageCodes(model);
      // Row 7 coded alone gives the same code as in a batch of 96 (batch norm in inference mode).
      long[] alone =
          model.encodeImages(
              new float[][] {train.images()[7]}, new float[][] {train.imageTokens().rows()[7]});
      int words = BinaryCodes.wordsPerCode(16);
      assertThat(alone).containsExactly(java.util.Arrays.copyOfRange(all, 7 * words, 8 * words));
    }
  }

  @Test
  void nativeArraysDoNotGrowOverEpochs() {
    FeatureSet train = TinyTokens.generate(96, 9);
    ScahnTrainer trainer =
        new ScahnTrainer(
            train,
            TinyTokens.generate(24, 10),
            16,
            9,
            ScahnConfig.from(
                new TrainingOptions(
                    16, 4, 9, Device.CPU, null, Map.of("batch", "32", "patience", "0"))),
            Device.CPU,
            new Checkpoint(null));
    try (ScahnModel model = trainer.train(TrainingListener.NONE)) {
      List<Integer> alive = trainer.arraysAliveAfterEachEpoch();
      assertThat(alive).hasSize(4);
      // Parameters, batch-norm statistics and Adam moments: the same count after every epoch.
      assertThat(alive).as("native arrays alive per epoch").containsOnly(alive.get(0));
    }
  }

  @Test
  void aKilledRunResumesAfterItsLastFinishedEpoch(@TempDir Path dir) {
    FeatureSet train = TinyTokens.generate(96, 21);
    FeatureSet validation = TinyTokens.generate(24, 22);
    Map<String, String> params = Map.of("batch", "32", "patience", "0");
    TrainingOptions options =
        new TrainingOptions(16, 4, 21, Device.CPU, dir.resolve("checkpoint"), params);
    List<Double> losses = new ArrayList<>();
    assertThatThrownBy(
            () ->
                new Scahn()
                    .train(
                        train,
                        validation,
                        options,
                        (epoch, epochs, loss, score) -> {
                          losses.add(loss);
                          if (epoch == 2) {
                            throw new IllegalStateException("killed after epoch 2");
                          }
                        }))
        .hasMessage("killed after epoch 2");
    List<Integer> epochs = new ArrayList<>();
    try (ScahnModel resumed =
        new Scahn()
            .train(
                train,
                validation,
                options,
                (e, n, loss, score) -> {
                  epochs.add(e);
                  losses.add(loss);
                })) {
      assertThat(epochs).containsExactly(3, 4);
      // It trains on from the saved weights, not from a fresh start.
      assertThat(losses.get(2)).as("losses %s", losses).isLessThan(losses.get(0));
      assertThat(validation.textCodes(resumed)).hasSize(validation.size());
    }
    // Other settings are another run: it starts afresh (and takes the checkpoint over).
    epochs.clear();
    TrainingOptions other =
        new TrainingOptions(16, 2, 21, Device.CPU, dir.resolve("checkpoint"), params);
    try (ScahnModel fresh =
        new Scahn().train(train, validation, other, (e, n, loss, score) -> epochs.add(e))) {
      assertThat(epochs).containsExactly(1, 2);
    }
  }

  @Test
  void everyAblationTrains() {
    FeatureSet train = TinyTokens.generate(64, 3);
    for (String ablate :
        List.of("attention", "graph", "contrastive", "adversarial", "attention,graph")) {
      TrainingOptions options =
          new TrainingOptions(16, 1, 3, Device.CPU, null, Map.of("batch", "32", "ablate", ablate));
      try (ScahnModel model = new Scahn().train(train, null, options, null)) {
        assertThat(train.textCodes(model)).as(ablate).hasSize(64);
        assertThat(model.settings().get("ablate")).isEqualTo(ablate);
      }
    }
  }

  @Test
  void rejectsBadInputClearly() {
    TrainingOptions options = new TrainingOptions(16, 1, 1, Device.CPU, null, Map.of());
    FeatureSet pooledOnly = new FeatureSet(new float[4][3], new float[4][2], new float[4][2]);
    assertThatThrownBy(() -> new Scahn().train(pooledOnly, null, options, null))
        .hasMessageContaining("token-level features");
    FeatureSet tiny = TinyTokens.generate(8, 1);
    FeatureSet unlabelled =
        new FeatureSet(tiny.images(), tiny.texts(), null, tiny.imageTokens(), tiny.textTokens());
    assertThatThrownBy(() -> new Scahn().train(unlabelled, null, options, null))
        .hasMessageContaining("needs labels");
    TrainingOptions typo = new TrainingOptions(16, 1, 1, Device.CPU, null, Map.of("abalte", "x"));
    assertThatThrownBy(() -> new Scahn().train(tiny, null, typo, null))
        .hasMessageContaining("unknown SCAHN setting 'abalte'");
    TrainingOptions badComponent =
        new TrainingOptions(16, 1, 1, Device.CPU, null, Map.of("ablate", "graph,colour"));
    assertThatThrownBy(() -> ScahnConfig.from(badComponent)).hasMessageContaining("'colour'");
    assertThat(new Scahn().settingsKey(options))
        .isNotEqualTo(
            new Scahn()
                .settingsKey(
                    new TrainingOptions(
                        16, 1, 1, Device.CPU, null, Map.of("ablate", "adversarial"))));
  }

  /**
   * Paired items whose labels live in their tokens: an image has 4 region tokens, one of which
   * carries each label's prototype; a caption has up to 5 word tokens, one per label plus filler,
   * the rest padding. Pooled features are the token means plus noise.
   */
  static final class TinyTokens {
    static FeatureSet generate(int n, long seed) {
      Random random = new Random(seed);
      Random prototypes = new Random(77);
      int classes = 5;
      float[][] regionProto = gaussian(prototypes, classes, 6);
      float[][] wordProto = gaussian(prototypes, classes, 8);
      float[][] images = new float[n][];
      float[][] texts = new float[n][];
      float[][] labels = new float[n][classes];
      float[][] regions = new float[n][4 * 6];
      float[][] words = new float[n][5 * 8];
      for (int i = 0; i < n; i++) {
        int a = random.nextInt(classes);
        labels[i][a] = 1;
        if (random.nextBoolean()) {
          labels[i][random.nextInt(classes)] = 1;
        }
        int region = 0;
        int word = 0;
        for (int c = 0; c < classes; c++) {
          if (labels[i][c] > 0) {
            put(regions[i], region++, regionProto[c], random);
            put(words[i], word++, wordProto[c], random);
          }
        }
        while (region < 4) {
          put(regions[i], region++, new float[6], random);
        }
        put(words[i], word, new float[8], random); // one filler word, then padding
        images[i] = mean(regions[i], 4, 6, random);
        texts[i] = mean(words[i], 5, 8, random);
        Tokens.toHalf(regions[i]);
        Tokens.toHalf(words[i]);
      }
      return new FeatureSet(
          images,
          texts,
          labels,
          new TokenRows(new Tokens(4, 6), regions),
          new TokenRows(new Tokens(5, 8), words));
    }

    private static void put(float[] row, int token, float[] value, Random random) {
      for (int j = 0; j < value.length; j++) {
        row[token * value.length + j] = value[j] + (float) (0.3 * random.nextGaussian());
      }
    }

    private static float[] mean(float[] tokens, int count, int dim, Random random) {
      float[] out = new float[dim];
      for (int t = 0; t < count; t++) {
        for (int j = 0; j < dim; j++) {
          out[j] += tokens[t * dim + j] / count;
        }
      }
      for (int j = 0; j < dim; j++) {
        out[j] += (float) (0.3 * random.nextGaussian());
      }
      return out;
    }

    private static float[][] gaussian(Random random, int rows, int dim) {
      float[][] m = new float[rows][dim];
      for (float[] row : m) {
        for (int j = 0; j < dim; j++) {
          row[j] = (float) random.nextGaussian();
        }
      }
      return m;
    }
  }
}

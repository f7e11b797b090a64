package app.tessera.engine.hashing.bilgseh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.LabelSimilarity;
import app.tessera.engine.hashing.TrainingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BilgsehTrainingTest {

  @Test
  void phaseOneShapesForBatch128And64Bits() {
    Engine.getInstance().setRandomSeed(5);
    int b = 128;
    int k = 64;
    int labels = 24;
    for (BilgsehConfig config : List.of(BilgsehConfig.tessera(), BilgsehConfig.reference())) {
      try (NDManager manager = NDManager.newBaseManager()) {
        CodeLearningNetwork network = new CodeLearningNetwork(labels, k, config);
        Shape[] shapes = {
          new Shape(b, 96), new Shape(b, 48), new Shape(b, labels), new Shape(b, b)
        };
        network.initialize(manager, DataType.FLOAT32, shapes);
        assertThat(network.getOutputShapes(shapes))
            .containsExactly(new Shape(b, k), new Shape(b, k));
        NDArray l =
            manager
                .randomUniform(0, 1, new Shape(b, labels))
                .gt(0.8f)
                .toType(DataType.FLOAT32, false);
        NDList out =
            network.forward(
                new ParameterStore(manager, false),
                new NDList(
                    manager.randomNormal(shapes[0]),
                    manager.randomNormal(shapes[1]),
                    l,
                    LabelSimilarity.of(l)),
                true);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getShape()).isEqualTo(new Shape(b, k));
        assertThat(out.get(1).getShape()).isEqualTo(new Shape(b, k));
        NDArray loss =
            BilgsehLosses.codeLearning(out.get(0), out.get(1), LabelSimilarity.of(l), config);
        assertThat(loss.getShape()).isEqualTo(new Shape());
        assertThat(Float.isFinite(loss.getFloat())).isTrue();

        HashFunctions functions = new HashFunctions(k);
        functions.initialize(manager, DataType.FLOAT32, shapes[0], shapes[1]);
        NDList h =
            functions.forward(
                new ParameterStore(manager, false),
                new NDList(manager.randomNormal(shapes[0]), manager.randomNormal(shapes[1])),
                true);
        assertThat(h.get(0).getShape()).isEqualTo(new Shape(b, k));
        assertThat(h.get(1).getShape()).isEqualTo(new Shape(b, k));
      }
    }
  }

  @Test
  void twoEpochsLowerTheLossGiveSignCodesAndSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
    long seed = 11;
    FeatureSet train = TinyData.generate(240, seed);
    FeatureSet validation = TinyData.generate(60, seed + 1);
    List<Double> losses = new ArrayList<>();
    TrainingOptions options =
        new TrainingOptions(16, 2, seed, Device.CPU, null, Map.of("batch", "48"));
    try (HashModel model =
        new Bilgseh().train(train, validation, options, (e, n, loss, score) -> losses.add(loss))) {
      assertThat(losses).as("seed %d", seed).hasSize(2);
      assertThat(losses.get(1))
          .as("loss per epoch, seed %d: %s", seed, losses)
          .isLessThan(losses.get(0));

      BilgsehModel bilgseh = (BilgsehModel) model;
      float[][] real = bilgseh.embedImages(validation.images());
      long[] codes = model.encodeImages(validation.images());
      for (int i = 0; i < real.length; i++) {
        float[] bits = BinaryCodes.unpack(codes, i, 16);
        for (int j = 0; j < 16; j++) {
          assertThat(bits[j]).isIn(-1f, 1f);
          assertThat(bits[j]).isEqualTo(real[i][j] >= 0 ? 1f : -1f);
          assertThat(real[i][j]).isBetween(-1f, 1f);
        }
      }

      model.save(dir);
      try (HashModel loaded = new Bilgseh().load(dir)) {
        assertThat(loaded.bits()).isEqualTo(16);
        assertThat(loaded.encodeImages(validation.images())).isEqualTo(codes);
        assertThat(loaded.encodeTexts(validation.texts()))
            .isEqualTo(model.encodeTexts(validation.texts()));
        assertThat(((BilgsehModel) loaded).settings()).containsEntry("attention", "label");
      }
    }
  }

  @Test
  void trainingIsReproducibleForASeed() {
    long seed = 23;
    FeatureSet train = TinyData.generate(120, seed);
    TrainingOptions options =
        new TrainingOptions(
            16, 1, seed, Device.CPU, null, Map.of("batch", "40", "preset", "reference"));
    try (HashModel a = new Bilgseh().train(train, null, options, null);
        HashModel b = new Bilgseh().train(train, null, options, null)) {
      assertThat(a.encodeTexts(train.texts()))
          .as("seed %d", seed)
          .isEqualTo(b.encodeTexts(train.texts()));
    }
  }

  @Test
  void rejectsBadInputClearly() {
    FeatureSet unlabelled = new FeatureSet(new float[4][3], new float[4][2], null);
    TrainingOptions options = new TrainingOptions(16, 1, 1, Device.CPU, null, Map.of());
    assertThatThrownBy(() -> new Bilgseh().train(unlabelled, null, options, null))
        .hasMessageContaining("needs labels");
    TrainingOptions typo = new TrainingOptions(16, 1, 1, Device.CPU, null, Map.of("lamda1", "3"));
    assertThatThrownBy(() -> new Bilgseh().train(TinyData.generate(8, 1), null, typo, null))
        .hasMessageContaining("unknown BiLGSEH setting 'lamda1'");
    TrainingOptions degenerateTokens =
        new TrainingOptions(
            16, 1, 1, Device.CPU, null, Map.of("attention", "degenerate", "tokens", "4"));
    assertThatThrownBy(() -> BilgsehConfig.from(degenerateTokens))
        .hasMessageContaining("exactly one token");
  }

  @Test
  void referencePresetHasThePublishedSettings() {
    BilgsehConfig c =
        BilgsehConfig.from(
            new TrainingOptions(64, 0, 1, Device.CPU, null, Map.of("preset", "reference")));
    assertThat(c.attention()).isEqualTo(BilgsehConfig.AttentionMode.DEGENERATE);
    assertThat(c.lambda1()).isEqualTo(10f);
    assertThat(c.lambda2()).isEqualTo(10f);
    assertThat(c.beta()).isEqualTo(0.01f);
    assertThat(c.tau()).isEqualTo(0.4f);
    assertThat(c.lrCodes()).isEqualTo(1e-3f);
    assertThat(c.lrHash()).isEqualTo(1e-4f);
    assertThat(c.batch()).isEqualTo(128);
    assertThat(c.epochs()).isEqualTo(60);

    TrainingOptions defaults = new TrainingOptions(64, 0, 1, Device.CPU, null, Map.of());
    TrainingOptions reference =
        new TrainingOptions(64, 0, 1, Device.CPU, null, Map.of("preset", "reference"));
    assertThat(new Bilgseh().settingsKey(defaults))
        .contains("attention=label", "epochs=30")
        .isNotEqualTo(new Bilgseh().settingsKey(reference));
  }

  @Test
  void batchesCoverEveryRowOnceAndNeverLeaveASingleton() {
    Random random = new Random(2);
    for (int n : new int[] {2, 3, 129, 130, 200, 256, 5000}) {
      List<int[]> batches = app.tessera.engine.hashing.Batches.shuffled(n, 128, random);
      boolean[] seen = new boolean[n];
      for (int[] batch : batches) {
        assertThat(batch.length).as("n = %d", n).isGreaterThanOrEqualTo(Math.min(n, 2));
        for (int row : batch) {
          assertThat(seen[row]).as("row %d twice, n = %d", row, n).isFalse();
          seen[row] = true;
        }
      }
      for (boolean s : seen) {
        assertThat(s).as("n = %d", n).isTrue();
      }
    }
  }

  /** Paired features that carry the labels: class prototypes plus noise, one label or two. */
  static final class TinyData {
    static FeatureSet generate(int n, long seed) {
      Random random = new Random(seed);
      Random prototypes = new Random(99);
      int classes = 6;
      float[][] imageProto = gaussian(prototypes, classes, 32);
      float[][] textProto = gaussian(prototypes, classes, 24);
      float[][] images = new float[n][32];
      float[][] texts = new float[n][24];
      float[][] labels = new float[n][classes];
      for (int i = 0; i < n; i++) {
        int a = random.nextInt(classes);
        labels[i][a] = 1;
        if (random.nextBoolean()) {
          labels[i][random.nextInt(classes)] = 1;
        }
        for (int c = 0; c < classes; c++) {
          if (labels[i][c] > 0) {
            add(images[i], imageProto[c]);
            add(texts[i], textProto[c]);
          }
        }
        noise(images[i], random);
        noise(texts[i], random);
      }
      return new FeatureSet(images, texts, labels);
    }

    private static float[][] gaussian(Random random, int rows, int dim) {
      float[][] m = new float[rows][dim];
      for (float[] row : m) {
        noise(row, random);
      }
      return m;
    }

    private static void add(float[] into, float[] v) {
      for (int j = 0; j < into.length; j++) {
        into[j] += v[j];
      }
    }

    private static void noise(float[] into, Random random) {
      for (int j = 0; j < into.length; j++) {
        into[j] += (float) (0.5 * random.nextGaussian());
      }
    }
  }
}

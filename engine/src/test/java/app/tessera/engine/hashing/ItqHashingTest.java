package app.tessera.engine.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ITQ: label-free codes of features that share one space. */
class ItqHashingTest {
  private static final int DIM = 48;
  private static final int CLUSTERS = 8;

  /**
   * Rows around {@link #CLUSTERS} random directions; the texts sit in the same space but shifted by
   * one large common offset (a "modality gap", as between CLIP's towers).
   */
  private record Data(float[][] images, float[][] texts, int[] cluster) {}

  private static Data data(int n, long seed) {
    Random random = new Random(seed);
    float[][] centres = new float[CLUSTERS][DIM];
    float[] gap = new float[DIM];
    Random fixed = new Random(99);
    for (float[] c : centres) {
      for (int j = 0; j < DIM; j++) {
        c[j] = (float) fixed.nextGaussian();
      }
    }
    for (int j = 0; j < DIM; j++) {
      gap[j] = 2.5f * (float) fixed.nextGaussian();
    }
    float[][] images = new float[n][DIM];
    float[][] texts = new float[n][DIM];
    int[] cluster = new int[n];
    for (int i = 0; i < n; i++) {
      cluster[i] = random.nextInt(CLUSTERS);
      for (int j = 0; j < DIM; j++) {
        images[i][j] = centres[cluster[i]][j] + 0.6f * (float) random.nextGaussian();
        texts[i][j] = centres[cluster[i]][j] + gap[j] + 0.6f * (float) random.nextGaussian();
      }
    }
    return new Data(images, texts, cluster);
  }

  private static TrainingOptions options(int bits, Map<String, String> params) {
    return new TrainingOptions(bits, 1, 7, Device.CPU, null, params);
  }

  private static double[] crossModalMap(HashModel model, Data query, Data items) {
    Relevance relevance = Relevance.sameGroup(query.cluster(), items.cluster());
    int bits = model.bits();
    double i2t =
        RetrievalEvaluator.hamming(
                model.encodeImages(query.images()),
                model.encodeTexts(items.texts()),
                bits,
                relevance)
            .mapAll();
    double t2i =
        RetrievalEvaluator.hamming(
                model.encodeTexts(query.texts()),
                model.encodeImages(items.images()),
                bits,
                relevance)
            .mapAll();
    return new double[] {i2t, t2i};
  }

  @Test
  void fitsOnUnpairedFeaturesAndRetrievesAcrossTheModalityGap() {
    Data library = data(400, 1);
    Data queries = data(100, 2);
    ItqHashing itq = new ItqHashing();
    // Unpaired: images of the first half, captions of the second.
    float[][] images = java.util.Arrays.copyOfRange(library.images(), 0, 200);
    float[][] texts = java.util.Arrays.copyOfRange(library.texts(), 200, 400);
    HashModel model = itq.fit(images, texts, options(16, Map.of()));
    double[] map = crossModalMap(model, queries, library);
    assertThat(map[0]).isGreaterThan(0.9);
    assertThat(map[1]).isGreaterThan(0.9);

    // One shared centre (the random-rotation baseline's) leaves the gap in the codes.
    HashModel rotation = new RotationHashing().fit(images, texts, options(16, Map.of()));
    double[] baseline = crossModalMap(rotation, queries, library);
    assertThat(map[0]).isGreaterThan(baseline[0] + 0.1);
  }

  @Test
  void theRotationStepLowersTheQuantisationErrorOfThePrincipalDirections() {
    Data library = data(400, 3);
    ItqHashing itq = new ItqHashing();
    ItqHashing.Model start =
        (ItqHashing.Model)
            itq.fit(library.images(), library.texts(), options(32, Map.of("iterations", "0")));
    ItqHashing.Model fitted =
        (ItqHashing.Model) itq.fit(library.images(), library.texts(), options(32, Map.of()));
    assertThat(quantisationError(fitted, library)).isLessThan(quantisationError(start, library));
  }

  /** Mean over rows of ||sign(p) − p||² with p the projection scaled to unit mean |p|. */
  private static double quantisationError(ItqHashing.Model model, Data data) {
    double error = 0;
    for (float[] row : data.images()) {
      double[] p = new double[model.bits()];
      double norm = 0;
      for (int k = 0; k < p.length; k++) {
        double sum = 0;
        double length = 0;
        for (int j = 0; j < DIM; j++) {
          length += row[j] * row[j];
        }
        for (int j = 0; j < DIM; j++) {
          sum += model.projection()[k][j] * (row[j] / Math.sqrt(length) - model.imageMean()[j]);
        }
        p[k] = sum;
        norm += Math.abs(sum);
      }
      for (double v : p) {
        double scaled = v * p.length / norm;
        error += (Math.signum(scaled) - scaled) * (Math.signum(scaled) - scaled);
      }
    }
    return error / data.images().length;
  }

  @Test
  void savesAndLoadsTheSameCodesAndIsSeeded(@TempDir Path dir) throws IOException {
    Data library = data(200, 4);
    ItqHashing itq = new ItqHashing();
    HashModel model = itq.fit(library.images(), library.texts(), options(16, Map.of()));
    HashModel again = itq.fit(library.images(), library.texts(), options(16, Map.of()));
    assertThat(again.encodeImages(library.images()))
        .isEqualTo(model.encodeImages(library.images()));
    model.save(dir);
    HashModel loaded = itq.load(dir);
    assertThat(loaded.bits()).isEqualTo(16);
    assertThat(loaded.encodeTexts(library.texts())).isEqualTo(model.encodeTexts(library.texts()));
    assertThat(HashingMethods.byName("itq").labelFree()).isTrue();
  }

  @Test
  void refusesFeaturesOfTwoSpacesTooManyBitsAndTooFewRows() {
    ItqHashing itq = new ItqHashing();
    Data library = data(100, 5);
    assertThatThrownBy(
            () -> itq.fit(library.images(), new float[][] {new float[8]}, options(16, Map.of())))
        .hasMessageContaining("one space");
    assertThatThrownBy(
            () ->
                itq.fit(library.images(), library.texts(), options(64, Map.of("directions", "64"))))
        .hasMessageContaining(
            "at most as many principal directions as the features have dimensions (48)");
    assertThatThrownBy(
            () ->
                itq.fit(
                    java.util.Arrays.copyOf(library.images(), 10),
                    new float[0][],
                    options(16, Map.of())))
        .hasMessageContaining("at least 16 feature rows for 8 principal directions");
    assertThatThrownBy(
            () ->
                itq.fit(library.images(), library.texts(), options(16, Map.of("directions", "32"))))
        .hasMessageContaining("directions must be between 1 and the number of bits");
    assertThatThrownBy(
            () -> itq.fit(library.images(), library.texts(), options(16, Map.of("rounds", "3"))))
        .hasMessageContaining("unknown itq setting 'rounds'");
  }

  @Test
  void polarFactorIsOrthogonal() {
    Random random = new Random(1);
    double[][] m = new double[12][12];
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[][] r = ItqHashing.polar(m);
    for (int a = 0; a < 12; a++) {
      for (int b = 0; b < 12; b++) {
        double dot = 0;
        for (int k = 0; k < 12; k++) {
          dot += r[k][a] * r[k][b];
        }
        assertThat(dot).isCloseTo(a == b ? 1 : 0, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }
}

package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TesseraCnnTrainerTest {
  private static final long SEED = 11;
  private static final int PER_SHAPE = 12;

  @TempDir Path dir;

  private static TesseraCnnTrainer.Options tiny(int epochs, double validation) {
    return new TesseraCnnTrainer.Options(
        16,
        4,
        16,
        epochs,
        epochs,
        3e-3,
        0.1,
        0,
        validation,
        Duration.ofMinutes(5),
        SEED,
        Device.CPU);
  }

  @Test
  void labelTermShapesTheSpaceAgainstMisleadingCaptionsAndIsNotShipped() throws IOException {
    // Caption groups cut across the shapes (group k holds the k-th image of every shape), so the
    // caption term alone pulls different shapes together; only the labels name the shape.
    List<BufferedImage> images = TinyImages.images(PER_SHAPE, 16, SEED);
    int n = images.size();
    List<String> captions = new ArrayList<>();
    List<List<String>> labels = new ArrayList<>();
    float[][] texts = new float[n][PER_SHAPE];
    for (int i = 0; i < n; i++) {
      captions.add("picture " + i % PER_SHAPE);
      labels.add(List.of(TinyImages.SHAPES[i / PER_SHAPE]));
      texts[i][i % PER_SHAPE] = 1f;
    }
    double withoutLabels;
    TesseraCnnTrainer.Result plain =
        TesseraCnnTrainer.train(
            images, texts, captions, labels, "t@0", tiny(30, 0), (e, epochs, loss, score) -> {});
    try (TesseraCnnImageEncoder encoder = plain.encoder()) {
      assertThat(encoder.metadata().training()).doesNotContainKey("labels");
      withoutLabels = shapeSeparation(encoder.encode(images));
    }
    TesseraCnnTrainer.Result labelled =
        TesseraCnnTrainer.train(
            images,
            texts,
            captions,
            labels,
            "t@0",
            tiny(30, 0).withLabelWeight(2),
            (e, epochs, loss, score) -> {});
    try (TesseraCnnImageEncoder encoder = labelled.encoder()) {
      assertThat(encoder.metadata().training()).containsKey("labels");
      float[][] features = encoder.encode(images);
      assertThat(shapeSeparation(features))
          .as("nearest-centroid shape accuracy (%.3f without labels)", withoutLabels)
          .isGreaterThan(withoutLabels + 0.2);
      // Only the encoder is saved: it loads as a plain Tessera CNN and gives the same features.
      encoder.save(dir);
      try (TesseraCnnImageEncoder loaded = TesseraCnnImageEncoder.load(dir, Device.CPU)) {
        assertThat(loaded.encode(images)[0]).containsExactly(features[0]);
      }
    }
  }

  /** Share of images whose nearest shape centroid (by cosine) is their own shape's. */
  private static double shapeSeparation(float[][] features) {
    int shapes = features.length / PER_SHAPE;
    float[][] centroids = new float[shapes][features[0].length];
    for (int i = 0; i < features.length; i++) {
      for (int k = 0; k < features[i].length; k++) {
        centroids[i / PER_SHAPE][k] += features[i][k] / PER_SHAPE;
      }
    }
    int right = 0;
    for (int i = 0; i < features.length; i++) {
      int nearest = 0;
      for (int c = 1; c < shapes; c++) {
        if (cosine(features[i], centroids[c]) > cosine(features[i], centroids[nearest])) {
          nearest = c;
        }
      }
      right += nearest == i / PER_SHAPE ? 1 : 0;
    }
    return right / (double) features.length;
  }

  private static double cosine(float[] a, float[] b) {
    return MiniLmTextEncoderTest.dot(a, b)
        / Math.sqrt(MiniLmTextEncoderTest.dot(a, a) * MiniLmTextEncoderTest.dot(b, b));
  }

  @Test
  void labelRowsCoverTheTrainingLabelsAndMaskRowsWithoutAny() {
    List<List<String>> labels =
        List.of(List.of("b", "a"), List.of(), List.of("c"), List.of("a", "unseen"));
    TesseraCnnTrainer.LabelMatrix m = TesseraCnnTrainer.LabelMatrix.of(labels, new int[] {0, 1, 3});
    assertThat(m.names()).containsExactly("a", "b", "unseen"); // "c" is on a validation row only
    assertThat(m.rows()[0]).containsExactly(1f, 1f, 0f);
    assertThat(m.known()).containsExactly(true, false, false, true);
    assertThat(TesseraCnnTrainer.LabelMatrix.of(List.of(), new int[0]).active()).isFalse();
  }

  @Test
  void binaryCrossEntropyMatchesItsClosedFormOverMaskedRows() {
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
      float[][] z = {{2f, -1f}, {0.5f, 30f}, {-3f, 3f}};
      float[][] y = {{1f, 0f}, {0f, 1f}, {1f, 1f}};
      float[] mask = {1f, 1f, 0f};
      double expected = 0;
      for (int i = 0; i < 2; i++) {
        double row = 0;
        for (int k = 0; k < 2; k++) {
          double p = 1 / (1 + Math.exp(-z[i][k]));
          row -= y[i][k] * Math.log(p) + (1 - y[i][k]) * Math.log(1 - p);
        }
        expected += row / 2;
      }
      expected /= 2;
      float loss =
          TesseraCnnTrainer.binaryCrossEntropy(
                  manager.create(z), manager.create(y), manager.create(mask).reshape(3, 1))
              .getFloat();
      assertThat((double) loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void lossGoesDownAndSaveLoadGivesIdenticalFeatures() throws IOException {
    List<BufferedImage> images = TinyImages.images(PER_SHAPE, 16, SEED);
    List<String> captions = TinyImages.captions(PER_SHAPE);
    float[][] texts = TinyImages.textFeatures(PER_SHAPE, 8);
    List<Double> losses = new ArrayList<>();
    TesseraCnnTrainer.Result result =
        TesseraCnnTrainer.train(
            images,
            texts,
            captions,
            "test-text@0",
            tiny(12, 0),
            (epoch, epochs, loss, score) -> losses.add(loss));
    try (TesseraCnnImageEncoder encoder = result.encoder()) {
      assertThat(losses).as("seed %d", SEED).hasSize(12);
      double first = (losses.get(0) + losses.get(1)) / 2;
      double last = (losses.get(10) + losses.get(11)) / 2;
      assertThat(last).as("loss per epoch %s (seed %d)", losses, SEED).isLessThan(first * 0.8);
      assertThat(encoder.dimension()).isEqualTo(8);
      assertThat(encoder.inputSize()).isEqualTo(16);
      assertThat(encoder.id()).startsWith("tessera-cnn-v1-16px-w4@");

      float[][] before = encoder.encode(images);
      for (float[] row : before) {
        assertThat(MiniLmTextEncoderTest.dot(row, row)).isBetween(0.999, 1.001);
      }
      encoder.save(dir);
      try (TesseraCnnImageEncoder loaded = TesseraCnnImageEncoder.load(dir, Device.CPU)) {
        assertThat(loaded.id()).isEqualTo(encoder.id());
        float[][] after = loaded.encode(images);
        for (int i = 0; i < before.length; i++) {
          assertThat(after[i]).containsExactly(before[i]);
        }
      }
    }
  }

  @Test
  void holdsOutWholeCaptionGroupsAndReportsValidation() {
    List<BufferedImage> images = TinyImages.images(PER_SHAPE, 16, SEED);
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      captions.add("concept " + (i / 2)); // two styles per concept, 24 concepts
    }
    float[][] texts = new float[images.size()][8];
    for (int i = 0; i < texts.length; i++) {
      texts[i][(i / 2) % 8] = 1f;
    }
    boolean[] held = TesseraCnnTrainer.holdOut(captions, 0.25, SEED);
    for (int i = 0; i < held.length; i += 2) {
      assertThat(held[i]).as("row %d and its twin", i).isEqualTo(held[i + 1]);
    }
    TesseraCnnTrainer.Result result =
        TesseraCnnTrainer.train(
            images, texts, captions, "t@0", tiny(2, 0.25), (e, n, loss, score) -> {});
    try (TesseraCnnImageEncoder encoder = result.encoder()) {
      assertThat(result.validationRows()).isPositive();
      assertThat(result.trainRows() + result.validationRows()).isEqualTo(images.size());
      assertThat(result.validationScores()).hasSize(2).allMatch(s -> s > 0 && s <= 1);
      assertThat(result.bestEpoch()).isBetween(1, 2);
    }
  }

  @Test
  void refusesWeightsThatDoNotMatchTheirRecordedHash() throws IOException {
    List<BufferedImage> images = TinyImages.images(2, 16, SEED);
    TesseraCnnTrainer.Result result =
        TesseraCnnTrainer.train(
            images,
            TinyImages.textFeatures(2, 8),
            TinyImages.captions(2),
            "t@0",
            tiny(1, 0),
            (e, n, loss, score) -> {});
    try (TesseraCnnImageEncoder encoder = result.encoder()) {
      encoder.save(dir);
    }
    byte[] weights = Files.readAllBytes(dir.resolve(TesseraCnnImageEncoder.WEIGHTS));
    weights[weights.length - 1] ^= 1;
    Files.write(dir.resolve(TesseraCnnImageEncoder.WEIGHTS), weights);
    assertThatThrownBy(() -> TesseraCnnImageEncoder.load(dir, Device.CPU))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SHA-256");
  }
}

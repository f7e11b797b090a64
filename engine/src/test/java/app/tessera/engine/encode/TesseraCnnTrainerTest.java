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
        16, 4, 16, epochs, epochs, 3e-3, 0.1, validation, Duration.ofMinutes(5), SEED, Device.CPU);
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

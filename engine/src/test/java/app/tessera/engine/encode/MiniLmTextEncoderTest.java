package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniLmTextEncoderTest {
  @TempDir Path cache;

  @Test
  void ranksAParaphraseAboveAnUnrelatedSentenceOffline() throws Exception {
    try (MiniLmTextEncoder encoder = MiniLmTextEncoder.open(cache)) {
      float[][] f =
          encoder.encode(
              List.of(
                  "A man is playing a guitar.",
                  "Someone is strumming a guitar.",
                  "The stock market fell sharply today.",
                  "grinning face. cheerful, happy, smile",
                  "smiling face with open mouth. happy, joy",
                  "steam locomotive. engine, railway, train"));
      assertThat(encoder.dimension()).isEqualTo(384);
      assertThat(encoder.id()).startsWith("minilm-l6-v2-q@");
      for (float[] row : f) {
        assertThat(row).hasSize(384);
        assertThat(dot(row, row)).isCloseTo(1.0, within(1e-4));
      }
      assertThat(dot(f[0], f[1])).isGreaterThan(dot(f[0], f[2]) + 0.3);
      assertThat(dot(f[3], f[4])).isGreaterThan(dot(f[3], f[5]));
    }
  }

  @Test
  void encodesATextTheSameAloneAndInABatchAndReopensWithTheSameId() throws Exception {
    String id;
    float[] alone;
    try (MiniLmTextEncoder encoder = MiniLmTextEncoder.open(cache)) {
      id = encoder.id();
      alone = encoder.encode(List.of("red apple"))[0];
      float[] batched =
          encoder
              .encode(List.of("a much longer caption that pads the batch a lot", "red apple"))[1];
      // Each text is encoded alone: no padding or other rows shift its int8 activations.
      assertThat(batched).containsExactly(alone);
    }
    try (MiniLmTextEncoder again = MiniLmTextEncoder.open(cache)) {
      assertThat(again.id()).isEqualTo(id);
      assertThat(again.encode(List.of("red apple"))[0]).containsExactly(alone);
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

package app.tessera.engine.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelSimilarityTest {
  private static final float[][] LABELS = {{1, 1, 0, 0}, {0, 1, 1, 0}, {0, 0, 0, 1}};

  @Test
  void methodsExamplesOnPlainArrays() {
    float[][] s = LabelSimilarity.of(LABELS);
    assertThat(s[0][1]).isCloseTo(0.5f, within(1e-6f));
    assertThat(s[0][2]).isCloseTo(-0.75f, within(1e-6f));
    assertThat(s[0][0]).isEqualTo(1f);
  }

  @Test
  void methodsExamplesVectorised() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] s = LabelSimilarity.of(manager.create(LABELS)).toFloatArray();
      assertThat(s[1]).isCloseTo(0.5f, within(1e-6f)); // S[0][1]
      assertThat(s[2]).isCloseTo(-0.75f, within(1e-6f)); // S[0][2]
      assertThat(s[3]).isCloseTo(0.5f, within(1e-6f)); // symmetric
    }
  }

  @Test
  void vectorisedMatchesDefinitionOnRandomLabels() {
    long seed = 17;
    Random random = new Random(seed);
    float[][] labels = new float[40][24];
    for (float[] row : labels) {
      for (int c = 0; c < row.length; c++) {
        row[c] = random.nextDouble() < 0.15 ? 1 : 0;
      }
    }
    float[][] expected = LabelSimilarity.of(labels);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray actual = LabelSimilarity.of(manager.create(labels));
      float[] flat = actual.toFloatArray();
      for (int i = 0; i < labels.length; i++) {
        for (int j = 0; j < labels.length; j++) {
          assertThat(flat[i * labels.length + j])
              .as("S[%d][%d], seed %d", i, j, seed)
              .isCloseTo(expected[i][j], within(1e-6f));
        }
      }
    }
  }
}

package app.tessera.engine.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryCodesTest {
  @Test
  void packsSignsWithZeroAsPlusOneAndRoundTrips() {
    float[][] rows = {{0.5f, -0.1f, 0f, -3f}, {-1f, -1f, 1f, 1f}};
    long[] packed = BinaryCodes.pack(rows);
    assertThat(packed).containsExactly(0b0101L, 0b1100L);
    assertThat(BinaryCodes.unpack(packed, 0, 4)).containsExactly(1f, -1f, 1f, -1f);
    assertThat(BinaryCodes.unpack(packed, 1, 4)).containsExactly(-1f, -1f, 1f, 1f);
  }

  @Test
  void distanceIsTheNumberOfDifferingSignsAcrossWords() {
    Random random = new Random(7);
    int bits = 130;
    float[][] rows = new float[5][bits];
    for (float[] row : rows) {
      for (int j = 0; j < bits; j++) {
        row[j] = random.nextBoolean() ? 1f : -1f;
      }
    }
    long[] packed = BinaryCodes.pack(rows);
    assertThat(packed).hasSize(5 * BinaryCodes.wordsPerCode(bits));
    for (int a = 0; a < rows.length; a++) {
      for (int b = 0; b < rows.length; b++) {
        int expected = 0;
        for (int j = 0; j < bits; j++) {
          expected += rows[a][j] != rows[b][j] ? 1 : 0;
        }
        assertThat(BinaryCodes.distance(packed, a, packed, b, 3)).isEqualTo(expected);
      }
    }
  }

  @Test
  void rejectsRaggedRowsAndBadLengths() {
    assertThatThrownBy(() -> BinaryCodes.pack(new float[][] {{1f, 1f}, {1f}}))
        .hasMessageContaining("row 1");
    assertThatThrownBy(() -> BinaryCodes.wordsPerCode(0)).hasMessageContaining("positive");
  }
}

package app.tessera.engine.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AsymmetricDistanceTest {

  /** Σ|h_j| over the bits where the code disagrees with sign(h_j), in the class's fixed point. */
  private static double bruteForce(float[] h, long[] codes, int index) {
    float[] bits = BinaryCodes.unpack(codes, index, h.length);
    double max = 0;
    for (float v : h) {
      max = Math.max(max, Math.abs(v));
    }
    double sum = 0;
    for (int j = 0; j < h.length; j++) {
      if ((h[j] >= 0) != (bits[j] > 0)) {
        sum += Math.abs(h[j]) / max * AsymmetricDistance.SCALE;
      }
    }
    return sum;
  }

  @Test
  void equalsTheWeightOfTheDisagreeingBitsAtEveryCodeLength() {
    long seed = 5;
    Random random = new Random(seed);
    for (int bits : new int[] {16, 64, 80, 128}) {
      float[] h = new float[bits];
      for (int j = 0; j < bits; j++) {
        h[j] = (float) random.nextGaussian();
      }
      float[][] rows = new float[50][bits];
      for (float[] row : rows) {
        for (int j = 0; j < bits; j++) {
          row[j] = random.nextBoolean() ? 1 : -1;
        }
      }
      long[] codes = BinaryCodes.pack(rows);
      AsymmetricDistance distance = new AsymmetricDistance(h);
      for (int i = 0; i < rows.length; i++) {
        // Each weight is rounded once: at most half a unit off per bit.
        assertThat((double) distance.to(codes, i))
            .as("bits %d, code %d, seed %d", bits, i, seed)
            .isCloseTo(bruteForce(h, codes, i), org.assertj.core.data.Offset.offset(bits * 0.5));
      }
      assertThat(distance.to(BinaryCodes.pack(new float[][] {h}), 0)).isZero();
    }
  }

  @Test
  void aQueryOfSignsGivesTheHammingDistanceExactly() {
    float[] h = {1, -1, -1, 1, 1, 1, -1, -1, 1, 1, -1, 1, -1, -1, 1, 1};
    float[][] others = {{-1, -1, -1, 1, 1, 1, -1, -1, 1, 1, -1, 1, -1, -1, 1, -1}, h};
    long[] query = BinaryCodes.pack(new float[][] {h});
    long[] codes = BinaryCodes.pack(others);
    AsymmetricDistance distance = new AsymmetricDistance(h);
    assertThat(distance.to(codes, 0))
        .isEqualTo((long) BinaryCodes.distance(query, 0, codes, 0, 1) * AsymmetricDistance.SCALE);
    assertThat(distance.to(codes, 1)).isZero();
  }

  @Test
  void theBitsHeldWeaklyCostLess() {
    float[] h = {0.9f, 0.1f, -0.9f, -0.9f};
    long[] codes =
        BinaryCodes.pack(new float[][] {{-1, 1, -1, -1}, {1, -1, -1, -1}, {1, 1, 1, -1}});
    AsymmetricDistance distance = new AsymmetricDistance(h);
    assertThat(distance.to(codes, 1)).isLessThan(distance.to(codes, 0));
    assertThat(distance.to(codes, 0)).isEqualTo(distance.to(codes, 2));
    assertThatThrownBy(() -> new AsymmetricDistance(new float[] {Float.NaN}))
        .hasMessageContaining("finite");
  }
}

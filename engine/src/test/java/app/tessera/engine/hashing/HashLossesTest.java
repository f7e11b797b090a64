package app.tessera.engine.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class HashLossesTest {

  @Test
  void ntXentOfOrthogonalPairsHasTheClosedForm() {
    int b = 5;
    int k = 8;
    float tau = 0.4f;
    try (NDManager manager = NDManager.newBaseManager()) {
      // Pair i is the same unit vector e_i on both sides; every other row is orthogonal to it.
      NDArray codes = manager.eye(b, k, 0, ai.djl.ndarray.types.DataType.FLOAT32).mul(3f);
      double loss = HashLosses.ntXent(codes, codes.duplicate(), tau).getFloat();
      double expected = Math.log(1 + (2 * b - 2) * Math.exp(-1 / tau));
      assertThat(loss).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void ntXentOfOrthogonalNonPairsIsLogOfTheDenominatorSize() {
    int b = 3;
    float tau = 0.5f;
    try (NDManager manager = NDManager.newBaseManager()) {
      // All 2B rows mutually orthogonal: every logit but the masked self is 0.
      NDArray all = manager.eye(2 * b, 2 * b, 0, ai.djl.ndarray.types.DataType.FLOAT32);
      NDArray a = all.get("0:" + b);
      NDArray c = all.get(b + ":");
      assertThat((double) HashLosses.ntXent(a, c, tau).getFloat())
          .isCloseTo(Math.log(2 * b - 1), within(1e-5));
    }
  }

  @Test
  void quantisationIsZeroOnSignsAndPositiveElsewhere() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThat(HashLosses.quantisation(manager.create(new float[] {1, -1, 1})).getFloat())
          .isZero();
      // (0.5 - 1)^2 and (-2 + 1)^2 averaged.
      assertThat(HashLosses.quantisation(manager.create(new float[] {0.5f, -2f})).getFloat())
          .isCloseTo(0.625f, within(1e-6f));
    }
  }
}

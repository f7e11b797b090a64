package app.tessera.engine.hashing.bilgseh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class BilgsehLossesTest {

  @Test
  void ntXentOfOrthogonalPairsHasTheClosedForm() {
    int b = 5;
    int k = 8;
    float tau = 0.4f;
    try (NDManager manager = NDManager.newBaseManager()) {
      // Pair i is the same unit vector e_i on both sides; every other row is orthogonal to it.
      NDArray codes = manager.eye(b, k, 0, ai.djl.ndarray.types.DataType.FLOAT32).mul(3f);
      double loss = BilgsehLosses.ntXent(codes, codes.duplicate(), tau).getFloat();
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
      assertThat((double) BilgsehLosses.ntXent(a, c, tau).getFloat())
          .isCloseTo(Math.log(2 * b - 1), within(1e-5));
    }
  }

  @Test
  void quantisationIsZeroOnSignsAndPositiveElsewhere() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThat(BilgsehLosses.quantisation(manager.create(new float[] {1, -1, 1})).getFloat())
          .isZero();
      // (0.5 - 1)^2 and (-2 + 1)^2 averaged.
      assertThat(BilgsehLosses.quantisation(manager.create(new float[] {0.5f, -2f})).getFloat())
          .isCloseTo(0.625f, within(1e-6f));
    }
  }

  @Test
  void similarityTargetMixesTheCaptionCosineIntoTheLabelSimilarity() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // Two items with the same labels (S = 1) and captions at 60 degrees (cosine 0.5), one item
      // sharing no label with them (S = -0.5) and an orthogonal caption.
      NDArray s = manager.create(new float[][] {{1, 1, -0.5f}, {1, 1, -0.5f}, {-0.5f, -0.5f, 1}});
      NDArray texts =
          manager.create(new float[][] {{2, 0, 0}, {1, (float) Math.sqrt(3), 0}, {0, 0, 5}});

      assertThat(BilgsehLosses.similarityTarget(s, texts, 0f)).isSameAs(s);
      float[] quarter = BilgsehLosses.similarityTarget(s, texts, 0.25f).toFloatArray();
      assertThat(quarter[0]).isCloseTo(1f, within(1e-6f)); // an item with itself
      assertThat(quarter[1]).isCloseTo(0.75f + 0.25f * 0.5f, within(1e-6f));
      assertThat(quarter[2]).isCloseTo(0.75f * -0.5f, within(1e-6f));
      float[] captionsOnly = BilgsehLosses.similarityTarget(s, texts, 1f).toFloatArray();
      assertThat(captionsOnly[1]).isCloseTo(0.5f, within(1e-6f));
      assertThat(captionsOnly[5]).isCloseTo(0f, within(1e-6f));
    }
  }
}

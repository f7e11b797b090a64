package app.tessera.engine.hashing.bilgseh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class BilgsehLossesTest {

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

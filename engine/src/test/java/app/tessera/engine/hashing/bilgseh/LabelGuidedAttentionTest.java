package app.tessera.engine.hashing.bilgseh;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class LabelGuidedAttentionTest {
  private static final int BATCH = 6;
  private static final int DIM = 20;
  private static final int LABELS = 5;

  @Test
  void oneTokenReducesToTheValuePathWhateverTheLabels() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      LabelGuidedAttention attention = new LabelGuidedAttention(LABELS, 1, 16, 4, 12, false);
      attention.initialize(
          manager, DataType.FLOAT32, new Shape(BATCH, DIM), new Shape(BATCH, LABELS));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray x = manager.randomNormal(new Shape(BATCH, DIM));
      NDArray valuePath = attention.valuePath(store, x);
      for (NDArray labels : labelSets(manager)) {
        NDArray out = attention.forward(store, new NDList(x, labels), false).head();
        assertThat(out.getShape()).isEqualTo(new Shape(BATCH, 12));
        assertThat(out.allClose(valuePath, 1e-5, 1e-5, false))
            .as("T = 1 must give output(value(tokens(x))), seed 3")
            .isTrue();
      }
    }
  }

  @Test
  void labelsChangeTheOutputWithSeveralTokens() {
    Engine.getInstance().setRandomSeed(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (boolean residual : new boolean[] {false, true}) {
        LabelGuidedAttention attention = new LabelGuidedAttention(LABELS, 8, 16, 4, 12, residual);
        attention.initialize(
            manager, DataType.FLOAT32, new Shape(BATCH, DIM), new Shape(BATCH, LABELS));
        ParameterStore store = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(BATCH, DIM));
        NDArray[] sets = labelSets(manager);
        NDArray a = attention.forward(store, new NDList(x, sets[0]), false).head();
        NDArray b = attention.forward(store, new NDList(x, sets[1]), false).head();
        // Every row's label set differs between the two label matrices, so every row changes.
        NDArray rowChange = a.sub(b).abs().sum(new int[] {1});
        for (float change : rowChange.toFloatArray()) {
          assertThat(change)
              .as("labels must change every row (residual %s, seed 4)", residual)
              .isGreaterThan(1e-4f);
        }
      }
    }
  }

  private static NDArray[] labelSets(NDManager manager) {
    float[][] first = new float[BATCH][LABELS];
    float[][] second = new float[BATCH][LABELS];
    for (int i = 0; i < BATCH; i++) {
      first[i][i % LABELS] = 1;
      second[i][(i + 1) % LABELS] = 1;
      second[i][(i + 3) % LABELS] = 1;
    }
    float[][] none = new float[BATCH][LABELS];
    return new NDArray[] {manager.create(first), manager.create(second), manager.create(none)};
  }
}

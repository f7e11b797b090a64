package app.tessera.engine.hashing.scahn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import app.tessera.engine.Device;
import app.tessera.engine.hashing.HashLosses;
import app.tessera.engine.hashing.TrainingOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScahnComponentsTest {

  @Test
  void encoderAndHashFunctionShapesAndSaliencyIgnoresPadding() {
    Engine.getInstance().setRandomSeed(3);
    int b = 6;
    ScahnConfig config = ScahnConfig.defaults();
    try (NDManager manager = NDManager.newBaseManager()) {
      ModalityEncoder encoder = new ModalityEncoder(config);
      Shape x = new Shape(b, 20);
      Shape tokens = new Shape(b, 5, 12);
      encoder.initialize(manager, DataType.FLOAT32, x, tokens);
      float[] t = manager.randomNormal(tokens).toFloatArray();
      for (int i = 0; i < b; i++) {
        for (int k = 3 * 12; k < 5 * 12; k++) {
          t[i * 60 + k] = 0; // tokens 3 and 4 of every row are padding
        }
      }
      NDList out =
          encoder.forward(
              new ParameterStore(manager, false),
              new NDList(manager.randomNormal(x), manager.create(t, tokens)),
              true);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(b, config.hidden()));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(b, 5, config.attentionDim()));
      assertThat(out.get(2).getShape()).isEqualTo(new Shape(b, 5));
      float[] s = out.get(2).toFloatArray();
      for (int i = 0; i < b; i++) {
        assertThat(s[i * 5] + s[i * 5 + 1] + s[i * 5 + 2]).isCloseTo(1f, within(1e-5f));
        assertThat(s[i * 5 + 3]).isCloseTo(0f, within(1e-6f));
        assertThat(s[i * 5 + 4]).isCloseTo(0f, within(1e-6f));
      }

      ScahnHashFunctions functions = new ScahnHashFunctions(32, config);
      Shape[] shapes = {x, tokens, new Shape(b, 16), new Shape(b, 7, 8)};
      functions.initialize(manager, DataType.FLOAT32, shapes);
      NDList h =
          functions.forward(
              new ParameterStore(manager, false),
              new NDList(
                  manager.randomNormal(shapes[0]),
                  manager.randomNormal(shapes[1]),
                  manager.randomNormal(shapes[2]),
                  manager.randomNormal(shapes[3])),
              false);
      assertThat(h.get(0).getShape()).isEqualTo(new Shape(b, 32));
      assertThat(h.get(1).getShape()).isEqualTo(new Shape(b, 32));
      assertThat(h.get(0).abs().max().getFloat()).isLessThan(1f);
    }
  }

  @Test
  void withoutAttentionTheEncoderReadsThePooledFeatureOnly() {
    ScahnConfig config =
        ScahnConfig.from(
            new TrainingOptions(16, 0, 1, Device.CPU, null, Map.of("ablate", "attention")));
    try (NDManager manager = NDManager.newBaseManager()) {
      ModalityEncoder encoder = new ModalityEncoder(config);
      encoder.initialize(manager, DataType.FLOAT32, new Shape(4, 10), new Shape(4, 3, 6));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray x = manager.randomNormal(new Shape(4, 10));
      NDArray a =
          encoder
              .forward(store, new NDList(x, manager.randomNormal(new Shape(4, 3, 6))), false)
              .head();
      NDArray other =
          encoder
              .forward(store, new NDList(x, manager.randomNormal(new Shape(4, 3, 6))), false)
              .head();
      assertThat(a.toFloatArray()).containsExactly(other.toFloatArray());
    }
  }

  @Test
  void gradientReversalFlipsTheGradientsSignAndKeepsTheValue() {
    float lambda = 0.7f;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {1.5f, -2f, 0.25f});
      NDArray x = manager.create(new float[] {0.3f, 0.1f, -0.4f});
      x.setRequiresGradient(true);
      NDArray reversed;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        reversed = ScahnLosses.reverseGradient(x, lambda);
        collector.backward(reversed.mul(w).sum());
      }
      assertThat(reversed.toFloatArray()).containsExactly(x.toFloatArray(), within(1e-6f));
      float[] grad = x.getGradient().toFloatArray();
      float[] expected = w.mul(-lambda).toFloatArray();
      for (int i = 0; i < grad.length; i++) {
        assertThat(grad[i]).isCloseTo(expected[i], within(1e-6f));
      }
    }
    assertThat(ScahnLosses.reversal(0)).isZero();
    assertThat(ScahnLosses.reversal(1)).isCloseTo(0.99991f, within(1e-4f));
  }

  /** Four rows over labels A, B, C: A appears 3 times, twice with B; B twice; C once, alone. */
  private static final float[][] LABELS = {{1, 1, 0}, {1, 1, 0}, {1, 0, 0}, {0, 0, 1}};

  @Test
  void labelGraphOfAHandMadeLabelMatrix() {
    float[][] p = LabelGraph.conditional(LABELS);
    assertThat(p[0]).containsExactly(new float[] {1f, 2f / 3, 0f}, within(1e-6f)); // P(.|A)
    assertThat(p[1]).containsExactly(new float[] {1f, 1f, 0f}, within(1e-6f)); // P(.|B)
    assertThat(p[2]).containsExactly(new float[] {0f, 0f, 1f}, within(1e-6f)); // P(.|C)

    // Threshold 0.7 keeps B→A (1.0) and drops A→B (0.67); p = 0.2.
    float[][] a = LabelGraph.reweighted(LABELS, 0.7f, 0.2f);
    assertThat(a[0]).containsExactly(new float[] {1f, 0f, 0f}, within(1e-6f)); // no neighbours
    assertThat(a[1]).containsExactly(new float[] {0.2f, 0.8f, 0f}, within(1e-6f));
    assertThat(a[2]).containsExactly(new float[] {0f, 0f, 1f}, within(1e-6f));

    // Â = D^-1/2 A' D^-1/2; every row of A' sums to 1 here, so Â = A'.
    float[][] n = LabelGraph.normalised(LABELS, 0.7f, 0.2f);
    assertThat(n[1]).containsExactly(new float[] {0.2f, 0.8f, 0f}, within(1e-6f));

    // Threshold 0.5 also keeps A→B.
    float[][] loose = LabelGraph.reweighted(LABELS, 0.5f, 0.2f);
    assertThat(loose[0]).containsExactly(new float[] {0.8f, 0.2f, 0f}, within(1e-6f));

    float[][] texts = {{1, 0}, {3, 0}, {2, 2}, {0, 4}};
    float[][] e = LabelGraph.embeddings(LABELS, texts);
    assertThat(e[0]).containsExactly(new float[] {2f, 2f / 3}, within(1e-6f));
    assertThat(e[1]).containsExactly(new float[] {2f, 0f}, within(1e-6f));
    assertThat(e[2]).containsExactly(new float[] {0f, 4f}, within(1e-6f));
  }

  @Test
  void labelAwareContrastiveLossMatchesItsClosedForm() {
    float tau = 0.5f;
    try (NDManager manager = NDManager.newBaseManager()) {
      // Two pairs of orthogonal unit codes; both items share a label, so all 3 others are
      // positives of every row: loss = log(2 + e^(1/τ)) − 1/(3τ).
      NDArray codes = manager.eye(2, 4, 0, DataType.FLOAT32).mul(2f);
      NDArray labels = manager.create(new float[][] {{1, 1}, {1, 0}});
      NDArray weights = ScahnLosses.bothModalities(ScahnLosses.jaccard(labels));
      assertThat(weights.toFloatArray()).contains(0.5f);
      NDArray allOnes = manager.ones(new Shape(4, 4));
      double expected = Math.log(2 + Math.exp(1 / tau)) - 1 / (3 * tau);
      assertThat((double) HashLosses.weightedNtXent(codes, codes, allOnes, tau).getFloat())
          .isCloseTo(expected, within(1e-5));
      // With only the pair as positive it is NT-Xent: log(2 + e^(1/τ)) − 1/τ.
      assertThat((double) HashLosses.ntXent(codes, codes, tau).getFloat())
          .isCloseTo(Math.log(2 + Math.exp(1 / tau)) - 1 / tau, within(1e-5));
    }
  }

  @Test
  void similarityTargetKeepsPairsAtOneAndScalesTheRest() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray s = manager.create(new float[][] {{1, 1, -0.5f}, {1, 1, -0.5f}, {-0.5f, -0.5f, 1}});
      float[] t = ScahnLosses.similarityTarget(s, 0.8f).toFloatArray();
      assertThat(t[0]).isCloseTo(1f, within(1e-6f)); // own pair
      assertThat(t[1]).isCloseTo(0.8f, within(1e-6f)); // same labels, another item
      assertThat(t[2]).isCloseTo(-0.4f, within(1e-6f));
    }
  }

  @Test
  void crossSaliencyIsADistributionOverUnmaskedKeys() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray queries =
          HashLosses.normalizeRows(manager.randomNormal(new Shape(6, 4))).reshape(2, 3, 4);
      NDArray keys =
          HashLosses.normalizeRows(manager.randomNormal(new Shape(8, 4))).reshape(2, 4, 4);
      NDArray saliency = manager.create(new float[][] {{0.2f, 0.3f, 0.5f}, {1, 0, 0}});
      NDArray mask = manager.create(new float[][] {{1, 1, 1, 0}, {1, 1, 0, 0}});
      float[] sigma = ScahnLosses.crossSaliency(queries, saliency, keys, mask, 0.1f).toFloatArray();
      assertThat(sigma[0] + sigma[1] + sigma[2] + sigma[3]).isCloseTo(1f, within(1e-5f));
      assertThat(sigma[3]).isCloseTo(0f, within(1e-6f));
      assertThat(sigma[4] + sigma[5]).isCloseTo(1f, within(1e-5f));
      assertThat(sigma[6] + sigma[7]).isCloseTo(0f, within(1e-6f));
    }
  }

  @Test
  void bceWithLogitsMatchesTheDefinition() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(new float[] {2f, -1f, 30f});
      NDArray targets = manager.create(new float[] {1f, 0f, 0f});
      double expected =
          (Math.log(1 + Math.exp(-2))
                  + Math.log(1 + Math.exp(-1))
                  + 30
                  + Math.log(1 + Math.exp(-30)))
              / 3;
      assertThat((double) ScahnLosses.bceWithLogits(logits, targets).getFloat())
          .isCloseTo(expected, within(1e-5));
    }
  }
}

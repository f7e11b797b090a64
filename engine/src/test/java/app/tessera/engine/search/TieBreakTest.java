package app.tessera.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.code.AsymmetricDistance;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.metrics.RetrievalEvaluator;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TieBreakTest {

  @Test
  void reordersOnlyTiesWithinTheCandidatesByOutputsThenFeatures() {
    // Query outputs: code +,+,-,- with bit 0 held weakly.
    float[] h = {0.1f, 0.9f, -0.8f, -0.8f};
    float[][] items = {
      {1, 1, 1, -1}, // 0: distance 1 on a bit held at 0.8
      {1, -1, 1, -1}, // 1: distance 2
      {-1, 1, -1, -1}, // 2: distance 1 on the weak bit
      {1, 1, -1, 1}, // 3: distance 1, same code as 4
      {1, 1, -1, 1}, // 4
      {-1, -1, -1, -1}, // 5: distance 2 (weak bit + bit 1)
    };
    long[] codes = BinaryCodes.pack(items);
    float[][] features = {{1, 0}, {1, 0}, {1, 0}, {0, 1}, {1, 1}, {1, 0}};
    long[] query = BinaryCodes.pack(new float[][] {h});
    int[] distance = new int[items.length];
    int[] order = RetrievalEvaluator.hammingOrder(query, 0, codes, items.length, 4, distance);
    assertThat(order).containsExactly(0, 2, 3, 4, 1, 5);

    int[] broken = order.clone();
    TieBreak.apply(broken, distance, h, codes, new float[] {1, 1}, features, 6);
    // Distance 1: item 2 (weak bit), then 0, 3 and 4 (0.8 each) by feature cosine with (1, 1);
    // distance 2: item 5 (0.1 + 0.9) before item 1 (0.9 + 0.8).
    assertThat(broken).containsExactly(2, 4, 0, 3, 5, 1);

    int[] codesOnly = order.clone();
    TieBreak.apply(codesOnly, distance, h, codes, null, null, 6);
    assertThat(codesOnly).containsExactly(2, 0, 3, 4, 5, 1);

    int[] firstThree = order.clone();
    TieBreak.apply(firstThree, distance, h, codes, new float[] {1, 1}, features, 3);
    assertThat(firstThree).containsExactly(2, 0, 3, 4, 1, 5);
  }

  @Test
  void neverLetsAnAsymmetricallyCloserCodeJumpAHammingDistance() {
    // Item 0 differs on one bit held firmly (0.9); item 1 on two weak bits (0.05 each): the
    // asymmetric distance prefers item 1 (0.1 < 0.9), but it is one Hamming step further.
    float[] h = {0.9f, 0.05f, 0.05f, -0.9f};
    float[][] items = {{-1, 1, 1, -1}, {1, -1, -1, -1}};
    long[] codes = BinaryCodes.pack(items);
    long[] query = BinaryCodes.pack(new float[][] {h});
    int[] distance = new int[items.length];
    int[] order = RetrievalEvaluator.hammingOrder(query, 0, codes, items.length, 4, distance);
    assertThat(new AsymmetricDistance(h).to(codes, 1))
        .isLessThan(new AsymmetricDistance(h).to(codes, 0));

    TieBreak.apply(order, distance, h, codes, null, null, 2);

    assertThat(order).containsExactly(0, 1);
  }

  @Test
  void onRandomCodesOnlyPermutesWithinEqualHammingDistance() {
    long seed = 11;
    SplittableRandom random = new SplittableRandom(seed);
    int bits = 16;
    int n = 400;
    float[][] items = new float[n][bits];
    for (float[] row : items) {
      for (int j = 0; j < bits; j++) {
        row[j] = random.nextInt(6) == 0 ? -1 : 1; // biased: many equal distances
      }
    }
    long[] codes = BinaryCodes.pack(items);
    float[][] features = new float[n][];
    Arrays.setAll(features, i -> new float[] {(float) random.nextGaussian(), 1});
    for (int q = 0; q < 20; q++) {
      float[] h = new float[bits];
      for (int j = 0; j < bits; j++) {
        h[j] = (float) random.nextGaussian();
      }
      long[] query = BinaryCodes.pack(new float[][] {h});
      int[] distance = new int[n];
      int[] hamming = RetrievalEvaluator.hammingOrder(query, 0, codes, n, bits, distance);
      int[] broken = hamming.clone();
      TieBreak.apply(broken, distance, h, codes, new float[] {1, 0}, features, 300);

      AsymmetricDistance asymmetric = new AsymmetricDistance(h);
      for (int p = 0; p < n; p++) {
        // Same distance at every position: only equal-distance items changed places.
        assertThat(distance[broken[p]])
            .as("seed %d, query %d, position %d", seed, q, p)
            .isEqualTo(distance[hamming[p]]);
        if (p > 0 && p < 300 && distance[broken[p]] == distance[broken[p - 1]]) {
          assertThat(asymmetric.to(codes, broken[p]))
              .isGreaterThanOrEqualTo(asymmetric.to(codes, broken[p - 1]));
        }
      }
      // Beyond the candidates, the exact Hamming order is kept as it was.
      assertThat(Arrays.copyOfRange(broken, 300, n)).isEqualTo(Arrays.copyOfRange(hamming, 300, n));
      assertThat(broken).containsExactlyInAnyOrder(hamming);
    }
  }
}

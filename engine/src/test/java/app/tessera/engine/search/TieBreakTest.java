package app.tessera.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.metrics.RetrievalEvaluator;
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
}

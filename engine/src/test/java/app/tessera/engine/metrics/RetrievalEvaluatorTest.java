package app.tessera.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.tessera.engine.code.BinaryCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetrievalEvaluatorTest {
  private static final float[][] QUERY_CODES = {
    {1, -1, 1, 1}, {-1, -1, -1, 1}, {1, 1, -1, 1}, {1, 1, 1, -1}
  };
  private static final float[][] ITEM_CODES = {
    {1, -1, 1, -1}, {-1, -1, 1, -1}, {-1, -1, 1, -1}, {1, 1, -1, -1}, {-1, 1, -1, -1}, {1, 1, -1, 1}
  };
  private static final float[][] QUERY_LABELS = {
    {0, 1, 0, 0}, {1, 1, 0, 0}, {1, 0, 0, 1}, {0, 1, 0, 1}
  };
  private static final float[][] ITEM_LABELS = {
    {1, 0, 0, 1}, {1, 1, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}, {0, 0, 1, 0}
  };

  @Test
  void matchesTheReferenceUnitTestWithStableTies() {
    RetrievalMetrics m =
        RetrievalEvaluator.hamming(
            BinaryCodes.pack(QUERY_CODES),
            BinaryCodes.pack(ITEM_CODES),
            4,
            Relevance.sharedLabel(QUERY_LABELS, ITEM_LABELS),
            1,
            3);
    assertThat(m.mapAll()).isCloseTo(0.704167, within(1e-6));
    assertThat(m.mapAt(3)).isCloseTo(0.6875, within(1e-9));
    assertThat(m.mapAt(1)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void anyRankingIsScoredLikeTheHammingOne() {
    long[] queries = BinaryCodes.pack(QUERY_CODES);
    long[] items = BinaryCodes.pack(ITEM_CODES);
    Relevance relevance = Relevance.sharedLabel(QUERY_LABELS, ITEM_LABELS);
    int[] distance = new int[ITEM_CODES.length];
    assertThat(RetrievalEvaluator.hammingOrder(queries, 0, items, 6, 4, distance))
        .containsExactly(0, 1, 2, 5, 3, 4);
    assertThat(distance).containsExactly(1, 2, 2, 3, 4, 2);
    RetrievalMetrics m =
        RetrievalEvaluator.ranking(
            q -> RetrievalEvaluator.hammingOrder(queries, q, items, 6, 4, null), relevance, 1, 3);
    assertThat(m.mapAll()).isCloseTo(0.704167, within(1e-6));
    assertThat(m.mapAt(3)).isCloseTo(0.6875, within(1e-9));
    // Putting query 0's two relevant items first changes only its figures.
    RetrievalMetrics reversed =
        RetrievalEvaluator.ranking(
            q ->
                q == 0
                    ? new int[] {1, 2, 0, 3, 4, 5}
                    : RetrievalEvaluator.hammingOrder(queries, q, items, 6, 4, null),
            relevance,
            1,
            3);
    assertThat(reversed.mapAt(1)).isCloseTo(m.mapAt(1) + 0.25, within(1e-9));
    assertThat(reversed.precisionAt(1)).isCloseTo(m.precisionAt(1) + 0.25, within(1e-9));
  }

  @Test
  void cosineRankingOfTheSameCodesGivesTheSameFigures() {
    // Cosine of ±1 vectors is an affine function of Hamming distance, with the same stable ties.
    RetrievalMetrics m =
        RetrievalEvaluator.cosine(
            QUERY_CODES, ITEM_CODES, Relevance.sharedLabel(QUERY_LABELS, ITEM_LABELS), 1, 3);
    assertThat(m.mapAll()).isCloseTo(0.704167, within(1e-6));
    assertThat(m.mapAt(3)).isCloseTo(0.6875, within(1e-9));
    assertThat(m.mapAt(1)).isCloseTo(0.5, within(1e-9));
    assertThat(m.precisionByRadius()).isNull();
  }

  @Test
  void queryWithoutRelevantItemCountsAsZero() {
    Relevance none = Relevance.sameGroup(new int[] {7, 1}, new int[] {1, 2, 1});
    RetrievalMetrics m =
        RetrievalEvaluator.hamming(
            BinaryCodes.pack(new float[][] {{1, 1}, {1, 1}}),
            BinaryCodes.pack(new float[][] {{1, 1}, {-1, -1}, {-1, 1}}),
            2,
            none,
            1);
    // Query 1: relevant items 0 (distance 0) and 2 (distance 1): AP = 1; query 0: AP = 0.
    assertThat(m.mapAll()).isEqualTo(0.5);
    assertThat(m.recallByRadius()).containsExactly(0.5, 1.0, 1.0);
  }

  @Test
  void chanceMatchesTheMeanOfManyRandomRankings() {
    Random random = new Random(11);
    int items = 40;
    float[][] queryLabels = randomLabels(random, 5, 3, 0.3);
    float[][] itemLabels = randomLabels(random, items, 3, 0.3);
    Relevance relevance = Relevance.sharedLabel(queryLabels, itemLabels);
    double expected = RetrievalEvaluator.chance(relevance, 10).mapAll();
    double sum = 0;
    int trials = 4000;
    for (int t = 0; t < trials; t++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < items; i++) {
        order.add(i);
      }
      java.util.Collections.shuffle(order, random);
      double map = 0;
      for (int q = 0; q < 5; q++) {
        map += bruteAveragePrecision(order, q, relevance, items);
      }
      sum += map / 5;
    }
    assertThat(sum / trials).as("seed 11").isCloseTo(expected, within(0.01));
  }

  @Test
  void chanceIsExactForExtremes() {
    assertThat(RetrievalEvaluator.expectedAveragePrecision(10, 10, harmonic(10)))
        .isCloseTo(1.0, within(1e-12));
    assertThat(RetrievalEvaluator.expectedAveragePrecision(10, 1, harmonic(10)))
        .isCloseTo(harmonic(10) / 10, within(1e-12));
    assertThat(RetrievalEvaluator.expectedAveragePrecision(10, 0, harmonic(10))).isZero();
  }

  @Property(tries = 60)
  void hammingAgreesWithBruteForce(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
      @ForAll @IntRange(min = 1, max = 3) int wordsTimesSixteen) {
    Random random = new Random(seed);
    int bits = wordsTimesSixteen * 16 + (seed % 2 == 0 ? 0 : 64);
    int queries = 1 + random.nextInt(12);
    int items = 1 + random.nextInt(80);
    float[][] q = randomCodes(random, queries, bits);
    float[][] db = randomCodes(random, items, bits);
    Relevance relevance =
        Relevance.sharedLabel(
            randomLabels(random, queries, 5, 0.25), randomLabels(random, items, 5, 0.25));
    int[] cutoffs = {1, 3, 10, 50, 100};
    RetrievalMetrics fast =
        RetrievalEvaluator.hamming(
            BinaryCodes.pack(q), BinaryCodes.pack(db), bits, relevance, cutoffs);
    double mapAll = 0;
    double[] mapAtK = new double[cutoffs.length];
    double[] pAtK = new double[cutoffs.length];
    for (int query = 0; query < queries; query++) {
      int qi = query;
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < items; i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingInt((Integer i) -> hamming(q[qi], db[i])));
      mapAll += bruteAveragePrecision(order, query, relevance, items);
      for (int c = 0; c < cutoffs.length; c++) {
        int k = Math.min(cutoffs[c], items);
        mapAtK[c] += bruteAveragePrecision(order, query, relevance, k);
        int hits = 0;
        for (int p = 0; p < k; p++) {
          hits += relevance.relevant(query, order.get(p)) ? 1 : 0;
        }
        pAtK[c] += hits / (double) k;
      }
    }
    String seedNote = "seed " + seed + ", bits " + bits;
    assertThat(fast.mapAll()).as(seedNote).isCloseTo(mapAll / queries, within(1e-9));
    for (int c = 0; c < cutoffs.length; c++) {
      assertThat(fast.mapAtK()[c]).as(seedNote).isCloseTo(mapAtK[c] / queries, within(1e-9));
      assertThat(fast.precisionAtK()[c]).as(seedNote).isCloseTo(pAtK[c] / queries, within(1e-9));
    }
    for (int r = 0; r <= bits; r++) {
      double precision = 0;
      int precisionCount = 0;
      double recall = 0;
      int recallCount = 0;
      for (int query = 0; query < queries; query++) {
        int retrieved = 0;
        int relevantWithin = 0;
        int relevantTotal = 0;
        for (int i = 0; i < items; i++) {
          boolean rel = relevance.relevant(query, i);
          relevantTotal += rel ? 1 : 0;
          if (hamming(q[query], db[i]) <= r) {
            retrieved++;
            relevantWithin += rel ? 1 : 0;
          }
        }
        if (retrieved > 0) {
          precision += relevantWithin / (double) retrieved;
          precisionCount++;
        }
        if (relevantTotal > 0) {
          recall += relevantWithin / (double) relevantTotal;
          recallCount++;
        }
      }
      assertThat(fast.precisionByRadius()[r])
          .as(seedNote + ", r " + r)
          .isCloseTo(precisionCount == 0 ? Double.NaN : precision / precisionCount, within(1e-9));
      assertThat(fast.recallByRadius()[r])
          .as(seedNote + ", r " + r)
          .isCloseTo(recallCount == 0 ? Double.NaN : recall / recallCount, within(1e-9));
    }
  }

  @Property(tries = 40)
  void cosineAgreesWithBruteForceIncludingTies(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    Random random = new Random(seed);
    int queries = 1 + random.nextInt(8);
    int items = 1 + random.nextInt(60);
    // Few distinct values, so that ties are common and the tie order matters.
    float[][] q = randomSmallIntegers(random, queries, 3);
    float[][] db = randomSmallIntegers(random, items, 3);
    Relevance relevance =
        Relevance.sharedLabel(
            randomLabels(random, queries, 4, 0.3), randomLabels(random, items, 4, 0.3));
    RetrievalMetrics fast = RetrievalEvaluator.cosine(q, db, relevance, 5);
    double mapAll = 0;
    for (int query = 0; query < queries; query++) {
      int qi = query;
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < items; i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingDouble((Integer i) -> -cosine(q[qi], db[i])));
      mapAll += bruteAveragePrecision(order, query, relevance, items);
    }
    assertThat(fast.mapAll()).as("seed " + seed).isCloseTo(mapAll / queries, within(1e-9));
  }

  /** AP over the first {@code depth} positions, by the definition. */
  private static double bruteAveragePrecision(
      List<Integer> order, int query, Relevance relevance, int depth) {
    double sum = 0;
    int hits = 0;
    for (int p = 1; p <= depth; p++) {
      if (relevance.relevant(query, order.get(p - 1))) {
        hits++;
        sum += hits / (double) p;
      }
    }
    return hits == 0 ? 0 : sum / hits;
  }

  private static int hamming(float[] a, float[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] != b[i] ? 1 : 0;
    }
    return d;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : (float) (dot / Math.sqrt(na) / Math.sqrt(nb));
  }

  private static double harmonic(int n) {
    double h = 0;
    for (int i = 1; i <= n; i++) {
      h += 1.0 / i;
    }
    return h;
  }

  private static float[][] randomCodes(Random random, int n, int bits) {
    float[][] rows = new float[n][bits];
    for (float[] row : rows) {
      for (int j = 0; j < bits; j++) {
        // Bias towards +1 on most bits so that codes collide and ties are frequent.
        row[j] = j < bits - 6 || random.nextBoolean() ? 1 : -1;
      }
    }
    return rows;
  }

  private static float[][] randomSmallIntegers(Random random, int n, int dims) {
    float[][] rows = new float[n][dims];
    for (float[] row : rows) {
      for (int j = 0; j < dims; j++) {
        row[j] = random.nextInt(3) - 1;
      }
    }
    return rows;
  }

  private static float[][] randomLabels(Random random, int n, int labels, double p) {
    float[][] rows = new float[n][labels];
    for (float[] row : rows) {
      for (int c = 0; c < labels; c++) {
        row[c] = random.nextDouble() < p ? 1 : 0;
      }
    }
    return rows;
  }
}

package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FeatureRetrievalTest {
  @Test
  void matchesAHandWorkedExampleWithTiesInDatabaseOrder() {
    float[][] queries = {{1, 0}};
    // Scores 0.6, 1.0, 0.6, -1: ranking is row 1, row 0, row 2 (tie kept in order), row 3.
    float[][] database = {{0.6f, 0.8f}, {1, 0}, {0.6f, -0.8f}, {-1, 0}};
    int[] queryGroups = {7};
    int[] databaseGroups = {7, 1, 7, 7};
    // Relevant at ranks 2, 3, 4: AP = (1/2 + 2/3 + 3/4) / 3.
    double expected = (1.0 / 2 + 2.0 / 3 + 3.0 / 4) / 3;
    assertThat(
            FeatureRetrieval.meanAveragePrecision(queries, queryGroups, database, databaseGroups))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void agreesWithABruteForceRankingOnRandomData() {
    long seed = 42;
    Random random = new Random(seed);
    float[][] queries = randomRows(random, 20, 5);
    float[][] database = randomRows(random, 50, 5);
    int[] qg = random.ints(20, 0, 3).toArray();
    int[] dg = random.ints(50, 0, 3).toArray();
    double brute = 0;
    int counted = 0;
    for (int q = 0; q < queries.length; q++) {
      final int query = q;
      Integer[] order = IntStream.range(0, database.length).boxed().toArray(Integer[]::new);
      Arrays.sort(
          order,
          Comparator.comparingDouble(
                  (Integer d) ->
                      -(double) (float) FeatureRetrieval.dot(queries[query], database[d]))
              .thenComparingInt(d -> d));
      int hits = 0;
      double sum = 0;
      for (int r = 0; r < order.length; r++) {
        if (qg[q] == dg[order[r]]) {
          hits++;
          sum += (double) hits / (r + 1);
        }
      }
      if (hits > 0) {
        brute += sum / hits;
        counted++;
      }
    }
    assertThat(FeatureRetrieval.meanAveragePrecision(queries, qg, database, dg))
        .as("seed %d", seed)
        .isCloseTo(brute / counted, within(1e-12));
  }

  private static float[][] randomRows(Random random, int n, int d) {
    float[][] rows = new float[n][d];
    for (float[] row : rows) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return rows;
  }
}

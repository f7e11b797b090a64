package app.tessera.engine.encode;

import java.util.Arrays;

/**
 * Cosine-similarity retrieval on unit-length float features, for validation during encoder training
 * and for the float "ceiling" figures. The protocol's full metrics live in {@code metrics}; this is
 * the small part encoders need.
 */
public final class FeatureRetrieval {
  private FeatureRetrieval() {}

  /**
   * mAP over all of {@code database} for every row of {@code queries}, where query {@code i} and
   * database row {@code j} are relevant when {@code queryGroups[i] == databaseGroups[j]}. Ties keep
   * database order. Queries without any relevant row are skipped.
   */
  public static double meanAveragePrecision(
      float[][] queries, int[] queryGroups, float[][] database, int[] databaseGroups) {
    return meanAveragePrecision(queries, database, (q, d) -> queryGroups[q] == databaseGroups[d]);
  }

  /** {@link #meanAveragePrecision(float[][], int[], float[][], int[])} within one row set. */
  static double meanAveragePrecision(float[][] queries, float[][] database, int[] groups) {
    return meanAveragePrecision(queries, groups, database, groups);
  }

  /** Relevance between query {@code q} and database row {@code d}. */
  @FunctionalInterface
  public interface Relevance {
    boolean relevant(int query, int database);
  }

  /** mAP@all with an arbitrary relevance (e.g. shared labels). */
  public static double meanAveragePrecision(
      float[][] queries, float[][] database, Relevance relevance) {
    int n = database.length;
    double sum = 0;
    int counted = 0;
    Integer[] order = new Integer[n];
    double[] scores = new double[n];
    for (int q = 0; q < queries.length; q++) {
      for (int d = 0; d < n; d++) {
        scores[d] = dot(queries[q], database[d]);
        order[d] = d;
      }
      Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
      int hits = 0;
      double precisionSum = 0;
      for (int rank = 0; rank < n; rank++) {
        if (relevance.relevant(q, order[rank])) {
          hits++;
          precisionSum += (double) hits / (rank + 1);
        }
      }
      if (hits > 0) {
        sum += precisionSum / hits;
        counted++;
      }
    }
    return counted == 0 ? 0 : sum / counted;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

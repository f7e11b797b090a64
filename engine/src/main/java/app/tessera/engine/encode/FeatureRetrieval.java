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
    long[] order = new long[n];
    for (int q = 0; q < queries.length; q++) {
      for (int d = 0; d < n; d++) {
        // Sort key: descending score in the high 32 bits, database order in the low 32 bits.
        order[d] = ((long) descendingKey((float) dot(queries[q], database[d])) << 32) | d;
      }
      Arrays.sort(order);
      int hits = 0;
      double precisionSum = 0;
      for (int rank = 0; rank < n; rank++) {
        if (relevance.relevant(q, (int) order[rank])) {
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

  /** An int that sorts ascending as {@code score} sorts descending. */
  private static int descendingKey(float score) {
    int bits = Float.floatToIntBits(score);
    int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff; // IEEE order as a signed int
    return ~ascending;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

package app.tessera.engine.hashing.bilgseh;

import app.tessera.engine.code.BinaryCodes;

/**
 * mAP@all of Hamming ranking for model selection on a validation split (the protocol of {@code
 * methods.md} §3: relevant = shares a label, ascending distance, ties by database index, a query
 * with nothing relevant scores 0). Kept here so training does not depend on the evaluation harness.
 */
final class ValidationRetrieval {
  private ValidationRetrieval() {}

  static double meanAveragePrecision(
      long[] queries, float[][] queryLabels, long[] database, float[][] databaseLabels, int bits) {
    int words = BinaryCodes.wordsPerCode(bits);
    long[][] queryMasks = labelMasks(queryLabels);
    long[][] databaseMasks = labelMasks(databaseLabels);
    int n = databaseLabels.length;
    int[] distance = new int[n];
    int[] bucketStart = new int[bits + 2];
    int[] order = new int[n];
    double total = 0;
    for (int q = 0; q < queryLabels.length; q++) {
      java.util.Arrays.fill(bucketStart, 0);
      for (int i = 0; i < n; i++) {
        distance[i] = BinaryCodes.distance(queries, q, database, i, words);
        bucketStart[distance[i] + 1]++;
      }
      for (int d = 1; d < bucketStart.length; d++) {
        bucketStart[d] += bucketStart[d - 1];
      }
      for (int i = 0; i < n; i++) {
        order[bucketStart[distance[i]]++] = i; // stable counting sort
      }
      int hits = 0;
      double precisionSum = 0;
      for (int rank = 0; rank < n; rank++) {
        if (shares(queryMasks[q], databaseMasks[order[rank]])) {
          hits++;
          precisionSum += hits / (double) (rank + 1);
        }
      }
      total += hits == 0 ? 0 : precisionSum / hits;
    }
    return queryLabels.length == 0 ? 0 : total / queryLabels.length;
  }

  private static long[][] labelMasks(float[][] labels) {
    long[][] masks = new long[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      masks[i] = new long[(labels[i].length + 63) >>> 6];
      for (int c = 0; c < labels[i].length; c++) {
        if (labels[i][c] > 0) {
          masks[i][c >>> 6] |= 1L << (c & 63);
        }
      }
    }
    return masks;
  }

  private static boolean shares(long[] a, long[] b) {
    for (int w = 0; w < a.length; w++) {
      if ((a[w] & b[w]) != 0) {
        return true;
      }
    }
    return false;
  }
}

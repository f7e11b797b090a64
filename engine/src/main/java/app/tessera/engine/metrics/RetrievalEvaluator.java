package app.tessera.engine.metrics;

import app.tessera.engine.code.BinaryCodes;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The evaluation protocol of {@code docs/methods.md} §3, for Hamming ranking of packed codes, for
 * float cosine ranking (the no-hashing ceiling) and for a random ranking (chance).
 *
 * <ul>
 *   <li>Ranking: ascending Hamming distance (descending cosine), ties broken by database index.
 *       Hamming ranking is a counting sort over the K+1 distances: O(N) per query, stable by
 *       construction.
 *   <li>AP@all of a query: the mean over the positions p of its relevant items of (relevant items
 *       in the top p) / p. A query with no relevant item has AP 0 and still counts.
 *   <li>AP@K: the same over the relevant items in the top K only (as in the SSAH/DCHMT metric
 *       code); 0 when none of the top K is relevant. P@K: relevant items in the top K / K. A K
 *       beyond the database size is clamped to it.
 *   <li>Precision-recall by radius r = 0..K: per query, precision = relevant / retrieved among the
 *       items within distance r (averaged over the queries that retrieve at least one item; {@code
 *       NaN} when none does) and recall = relevant within r / all relevant (averaged over the
 *       queries that have a relevant item).
 * </ul>
 *
 * Queries are evaluated in parallel on the common pool; per-query results are summed in query
 * order, so the figures do not depend on the number of threads.
 */
public final class RetrievalEvaluator {
  private RetrievalEvaluator() {}

  /** The cutoffs Tessera reports by default: mAP@50 and P@K for these K. */
  public static final int[] DEFAULT_CUTOFFS = {1, 5, 10, 20, 50, 100, 200, 500, 1000};

  /** Evaluates Hamming ranking of packed {@code bits}-bit codes. */
  public static RetrievalMetrics hamming(
      long[] queryCodes, long[] itemCodes, int bits, Relevance relevance, int... cutoffs) {
    int words = BinaryCodes.wordsPerCode(bits);
    int queries = relevance.queryCount();
    int items = relevance.itemCount();
    checkSize("query codes", queryCodes.length, queries * words);
    checkSize("item codes", itemCodes.length, items * words);
    int[] ks = normaliseCutoffs(cutoffs);
    int radii = bits + 1;
    double[][] perQuery = new double[queries][];
    IntStream.range(0, queries)
        .parallel()
        .forEach(
            q -> {
              int[] distance = new int[items];
              int[] start = new int[radii + 1];
              for (int i = 0; i < items; i++) {
                int d = BinaryCodes.distance(queryCodes, q, itemCodes, i, words);
                distance[i] = d;
                start[d + 1]++;
              }
              for (int d = 0; d < radii; d++) {
                start[d + 1] += start[d];
              }
              int[] retrievedWithin = new int[radii];
              int[] relevantWithin = new int[radii];
              for (int d = 0; d < radii; d++) {
                retrievedWithin[d] = start[d + 1];
              }
              int[] order = new int[items];
              int[] next = Arrays.copyOf(start, radii);
              for (int i = 0; i < items; i++) {
                order[next[distance[i]]++] = i;
                if (relevance.relevant(q, i)) {
                  relevantWithin[distance[i]]++;
                }
              }
              for (int d = 1; d < radii; d++) {
                relevantWithin[d] += relevantWithin[d - 1];
              }
              double[] row = new double[1 + 2 * ks.length + 2 * radii];
              scoreRanking(order, q, relevance, ks, row);
              int total = relevantWithin[radii - 1];
              int base = 1 + 2 * ks.length;
              for (int r = 0; r < radii; r++) {
                row[base + r] =
                    retrievedWithin[r] == 0
                        ? Double.NaN
                        : relevantWithin[r] / (double) retrievedWithin[r];
                row[base + radii + r] =
                    total == 0 ? Double.NaN : relevantWithin[r] / (double) total;
              }
              perQuery[q] = row;
            });
    return summarise(perQuery, ks, radii);
  }

  /**
   * Evaluates any ranking of every item: {@code order.apply(q)} is query {@code q}'s permutation of
   * the item indexes, best first (e.g. a Hamming ranking refined by another score). No
   * precision-recall by radius.
   */
  public static RetrievalMetrics ranking(
      IntFunction<int[]> order, Relevance relevance, int... cutoffs) {
    int queries = relevance.queryCount();
    int items = relevance.itemCount();
    int[] ks = normaliseCutoffs(cutoffs);
    double[][] perQuery = new double[queries][];
    IntStream.range(0, queries)
        .parallel()
        .forEach(
            q -> {
              int[] ranked = order.apply(q);
              checkSize("ranking of query " + q, ranked.length, items);
              double[] row = new double[1 + 2 * ks.length];
              scoreRanking(ranked, q, relevance, ks, row);
              perQuery[q] = row;
            });
    return summarise(perQuery, ks, 0);
  }

  /**
   * The protocol's ranking of {@code items} codes for query code {@code q}: ascending Hamming
   * distance, ties by item index (a stable counting sort over the K+1 distances). {@code distance},
   * when not null, receives each item's distance.
   */
  public static int[] hammingOrder(
      long[] queryCodes, int q, long[] itemCodes, int items, int bits, int[] distance) {
    int words = BinaryCodes.wordsPerCode(bits);
    int[] d = distance != null ? distance : new int[items];
    int[] next = new int[bits + 2];
    for (int i = 0; i < items; i++) {
      d[i] = BinaryCodes.distance(queryCodes, q, itemCodes, i, words);
      next[d[i] + 1]++;
    }
    for (int r = 0; r <= bits; r++) {
      next[r + 1] += next[r];
    }
    int[] order = new int[items];
    for (int i = 0; i < items; i++) {
      order[next[d[i]]++] = i;
    }
    return order;
  }

  /** Evaluates ranking by cosine similarity of float features (the no-hashing ceiling). */
  public static RetrievalMetrics cosine(
      float[][] queryFeatures, float[][] itemFeatures, Relevance relevance, int... cutoffs) {
    int queries = relevance.queryCount();
    int items = relevance.itemCount();
    checkSize("query features", queryFeatures.length, queries);
    checkSize("item features", itemFeatures.length, items);
    int[] ks = normaliseCutoffs(cutoffs);
    float[][] q = normalised(queryFeatures);
    float[][] db = normalised(itemFeatures);
    double[][] perQuery = new double[queries][];
    IntStream.range(0, queries)
        .parallel()
        .forEach(
            query -> {
              // Sort keys: descending similarity in the high half, item index in the low half.
              long[] keys = new long[items];
              float[] a = q[query];
              for (int i = 0; i < items; i++) {
                float similarity = dot(a, db[i]);
                keys[i] = ((long) descendingKey(similarity) << 32) | i;
              }
              Arrays.sort(keys);
              int[] order = new int[items];
              for (int i = 0; i < items; i++) {
                order[i] = (int) keys[i];
              }
              double[] row = new double[1 + 2 * ks.length];
              scoreRanking(order, query, relevance, ks, row);
              perQuery[query] = row;
            });
    return summarise(perQuery, ks, 0);
  }

  /**
   * The expected metrics of a uniformly random ranking. mAP@all is exact: for N items of which R
   * are relevant, E[AP] = (H_N + (R-1)/(N-1) (N - H_N)) / N with H_N the N-th harmonic number. P@K
   * is exactly R/N. mAP@K is not computed ({@code NaN}).
   */
  public static RetrievalMetrics chance(Relevance relevance, int... cutoffs) {
    int queries = relevance.queryCount();
    int items = relevance.itemCount();
    int[] ks = normaliseCutoffs(cutoffs);
    double harmonic = 0;
    for (int n = 1; n <= items; n++) {
      harmonic += 1.0 / n;
    }
    double h = harmonic;
    double[][] perQuery = new double[queries][];
    IntStream.range(0, queries)
        .parallel()
        .forEach(
            q -> {
              int relevant = 0;
              for (int i = 0; i < items; i++) {
                if (relevance.relevant(q, i)) {
                  relevant++;
                }
              }
              double[] row = new double[1 + 2 * ks.length];
              row[0] = expectedAveragePrecision(items, relevant, h);
              for (int c = 0; c < ks.length; c++) {
                row[1 + c] = Double.NaN;
                row[1 + ks.length + c] = items == 0 ? 0 : relevant / (double) items;
              }
              perQuery[q] = row;
            });
    return summarise(perQuery, ks, 0);
  }

  static double expectedAveragePrecision(int items, int relevant, double harmonic) {
    if (relevant == 0) {
      return 0;
    }
    if (items == 1) {
      return 1;
    }
    return (harmonic + (relevant - 1) / (double) (items - 1) * (items - harmonic)) / items;
  }

  /** Writes AP@all, AP@K and P@K of one query's ranking into {@code row[0 .. 2 ks.length]}. */
  private static void scoreRanking(
      int[] order, int query, Relevance relevance, int[] ks, double[] row) {
    int items = order.length;
    int hits = 0;
    double precisionSum = 0;
    int cutoff = 0;
    for (int p = 1; p <= items; p++) {
      if (relevance.relevant(query, order[p - 1])) {
        hits++;
        precisionSum += hits / (double) p;
      }
      while (cutoff < ks.length && Math.min(ks[cutoff], items) == p) {
        row[1 + cutoff] = hits == 0 ? 0 : precisionSum / hits;
        row[1 + ks.length + cutoff] = hits / (double) p;
        cutoff++;
      }
    }
    row[0] = hits == 0 ? 0 : precisionSum / hits;
  }

  private static RetrievalMetrics summarise(double[][] perQuery, int[] ks, int radii) {
    int queries = perQuery.length;
    double map = 0;
    double[] mapAtK = new double[ks.length];
    double[] precisionAtK = new double[ks.length];
    for (double[] row : perQuery) {
      map += row[0];
      for (int c = 0; c < ks.length; c++) {
        mapAtK[c] += row[1 + c];
        precisionAtK[c] += row[1 + ks.length + c];
      }
    }
    int n = Math.max(queries, 1);
    for (int c = 0; c < ks.length; c++) {
      mapAtK[c] /= n;
      precisionAtK[c] /= n;
    }
    double[] precision = null;
    double[] recall = null;
    if (radii > 0) {
      precision = new double[radii];
      recall = new double[radii];
      int base = 1 + 2 * ks.length;
      for (int r = 0; r < radii; r++) {
        precision[r] = meanIgnoringNaN(perQuery, base + r);
        recall[r] = meanIgnoringNaN(perQuery, base + radii + r);
      }
    }
    return new RetrievalMetrics(queries, map / n, ks, mapAtK, precisionAtK, precision, recall);
  }

  private static double meanIgnoringNaN(double[][] rows, int column) {
    double sum = 0;
    int count = 0;
    for (double[] row : rows) {
      if (!Double.isNaN(row[column])) {
        sum += row[column];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static int[] normaliseCutoffs(int[] cutoffs) {
    int[] ks = Arrays.stream(cutoffs).distinct().sorted().toArray();
    if (ks.length > 0 && ks[0] <= 0) {
      throw new IllegalArgumentException("cutoffs must be positive: " + Arrays.toString(cutoffs));
    }
    return ks;
  }

  private static void checkSize(String what, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + ": expected " + expected + ", got " + actual);
    }
  }

  /** An int that sorts ascending as the float sorts descending (NaN last). */
  private static int descendingKey(float value) {
    if (Float.isNaN(value)) {
      return Integer.MAX_VALUE;
    }
    int bits = Float.floatToIntBits(value + 0f); // -0 and +0 tie
    int ascending = bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
    return ~ascending;
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static float[][] normalised(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      double norm = 0;
      for (float v : row) {
        norm += v * v;
      }
      float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
      out[i] = new float[row.length];
      for (int j = 0; j < row.length; j++) {
        out[i][j] = row[j] * scale;
      }
    }
    return out;
  }
}

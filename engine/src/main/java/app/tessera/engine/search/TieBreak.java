package app.tessera.engine.search;

import app.tessera.engine.code.AsymmetricDistance;
import java.util.Arrays;
import java.util.Comparator;

/**
 * How results at the same Hamming distance are ordered, with what the query already has. Label-
 * trained codes put many items on one code (BiLGSEH: a query's nearest code is shared by a hundred
 * items or more on EmojiXM), so the exact Hamming order leaves the head of the list to insertion
 * order. This rule keeps the Hamming order and sorts each tie group by
 *
 * <ol>
 *   <li>the query's {@linkplain AsymmetricDistance asymmetric distance} to the candidate's code
 *       (separates different codes at one distance), then
 *   <li>the cosine between the query's features and the candidate's cached features, descending
 *       (separates items that share a code);
 * </ol>
 *
 * remaining ties keep insertion order. Candidates without features come after those with. Measured
 * in {@code models/cards/bilgseh-emoji.md}; {@code tessera eval} reports it next to the protocol's
 * pure Hamming ranking.
 */
public final class TieBreak {
  private TieBreak() {}

  /**
   * Hamming candidates fetched so that tie groups at the head of the list are complete: the rule
   * reorders within these; what lies beyond keeps the Hamming order.
   */
  public static final int CANDIDATES = 1000;

  /**
   * One Hamming candidate.
   *
   * @param id what the caller needs back (an item id, an index, a position)
   * @param asymmetric the query's asymmetric distance to its code (lower is better)
   * @param cosine query–candidate feature cosine, or NaN when either has no features
   */
  public record Candidate(long id, int distance, long asymmetric, double cosine) {}

  /** The order: distance, asymmetric distance, cosine descending (NaN last). */
  public static final Comparator<Candidate> ORDER =
      Comparator.comparingInt(Candidate::distance)
          .thenComparingLong(Candidate::asymmetric)
          .thenComparingDouble(
              c -> Double.isNaN(c.cosine()) ? Double.POSITIVE_INFINITY : -c.cosine());

  /**
   * Applies the rule to the first {@code candidates} positions of a whole Hamming ranking (as the
   * query service does to the candidates the index returns), for evaluation.
   *
   * @param order item indexes in Hamming order, ties by index; reordered in place
   * @param distance each item's Hamming distance
   * @param queryOutputs the query's real-valued hash outputs
   * @param itemCodes the items' packed codes
   * @param queryFeature the query's features, or null (then codes only)
   * @param itemFeatures the items' features in the query's space, or null
   */
  public static void apply(
      int[] order,
      int[] distance,
      float[] queryOutputs,
      long[] itemCodes,
      float[] queryFeature,
      float[][] itemFeatures,
      int candidates) {
    AsymmetricDistance asymmetric = new AsymmetricDistance(queryOutputs);
    int n = Math.min(candidates, order.length);
    Candidate[] head = new Candidate[n];
    for (int p = 0; p < n; p++) {
      int item = order[p];
      double cosine =
          queryFeature == null || itemFeatures == null
              ? Double.NaN
              : cosine(queryFeature, itemFeatures[item]);
      head[p] = new Candidate(item, distance[item], asymmetric.to(itemCodes, item), cosine);
    }
    Arrays.sort(head, ORDER); // stable: equal keys keep the Hamming order
    for (int p = 0; p < n; p++) {
      order[p] = (int) head[p].id();
    }
  }

  /** Cosine of two vectors (0 when either is zero). */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}

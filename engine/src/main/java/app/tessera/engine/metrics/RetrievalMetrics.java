package app.tessera.engine.metrics;

/**
 * Retrieval quality of one ranking of every database item for every query, averaged over queries
 * (see {@link RetrievalEvaluator} for the definitions).
 *
 * @param queries number of queries averaged over
 * @param mapAll mean average precision over the full ranking
 * @param cutoffs the K of {@link #mapAtK} and {@link #precisionAtK}, ascending
 * @param mapAtK mAP over the top K positions, one per cutoff ({@code NaN} where not defined)
 * @param precisionAtK precision of the top K positions, one per cutoff
 * @param precisionByRadius precision of the items within Hamming radius r, r = 0..bits; {@code
 *     null} for rankings that are not by Hamming distance
 * @param recallByRadius recall of the items within Hamming radius r, r = 0..bits; or {@code null}
 */
public record RetrievalMetrics(
    int queries,
    double mapAll,
    int[] cutoffs,
    double[] mapAtK,
    double[] precisionAtK,
    double[] precisionByRadius,
    double[] recallByRadius) {

  /** mAP over the top {@code k} positions; {@code k} must be one of {@link #cutoffs}. */
  public double mapAt(int k) {
    return mapAtK[indexOf(k)];
  }

  /** Precision of the top {@code k} positions; {@code k} must be one of {@link #cutoffs}. */
  public double precisionAt(int k) {
    return precisionAtK[indexOf(k)];
  }

  private int indexOf(int k) {
    for (int i = 0; i < cutoffs.length; i++) {
      if (cutoffs[i] == k) {
        return i;
      }
    }
    throw new IllegalArgumentException("no cutoff " + k + " was evaluated");
  }
}

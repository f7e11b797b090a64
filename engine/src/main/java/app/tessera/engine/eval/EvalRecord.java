package app.tessera.engine.eval;

/**
 * The figures of one (method, bits, direction), over the seeds.
 *
 * @param method method name
 * @param bits code length
 * @param direction i2t or t2i
 * @param mapAll mAP@all over seeds
 * @param mapAt50 mAP@50 over seeds
 * @param cutoffs the K of {@code precisionAtK}
 * @param precisionAtK P@K, mean over seeds
 * @param precisionByRadius precision within Hamming radius r = 0..bits, mean over seeds
 * @param recallByRadius recall within Hamming radius r = 0..bits, mean over seeds
 * @param trainSeconds training time per seed (0 for a model reused from the cache)
 * @param epochs epochs trained per seed, mean ({@code NaN} when unknown)
 * @param tiesBroken the same codes ranked with Hamming ties broken as the query service breaks them
 *     ({@link app.tessera.engine.search.TieBreak}): an extra ranking beside the protocol's
 */
public record EvalRecord(
    String method,
    int bits,
    Direction direction,
    Stats mapAll,
    Stats mapAt50,
    int[] cutoffs,
    double[] precisionAtK,
    double[] precisionByRadius,
    double[] recallByRadius,
    Stats trainSeconds,
    double epochs,
    TiesBroken tiesBroken) {

  /**
   * Figures of the tie-broken ranking, over seeds.
   *
   * @param precisionAtK P@K at {@link EvalRecord#cutoffs()}, mean over seeds
   */
  public record TiesBroken(Stats mapAll, Stats mapAt50, double[] precisionAtK) {}

  /** P@{@code k} of the protocol's ranking; {@code k} must be one of the cutoffs. */
  public double precisionAt(int k) {
    return precisionAtK[cutoffIndex(k)];
  }

  int cutoffIndex(int k) {
    for (int i = 0; i < cutoffs.length; i++) {
      if (cutoffs[i] == k) {
        return i;
      }
    }
    throw new IllegalArgumentException("no cutoff " + k);
  }
}

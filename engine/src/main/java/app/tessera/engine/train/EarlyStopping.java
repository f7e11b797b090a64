package app.tessera.engine.train;

/**
 * The bookkeeping of every training loop: the best validation score so far, the epoch it came from,
 * and whether {@code patience} epochs have passed without a better one. The loop keeps the weights
 * of each epoch {@link #record} calls best.
 */
public final class EarlyStopping {
  private final int patience;
  private double bestScore = Double.NEGATIVE_INFINITY;
  private int bestEpoch;
  private int sinceBest;

  /** {@code patience}: epochs without a better score before stopping; 0 never stops early. */
  public EarlyStopping(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
    this.patience = patience;
  }

  /** A state saved in a checkpoint ({@code bestScore} NaN: none yet). */
  public static EarlyStopping resume(int patience, int bestEpoch, double bestScore, int sinceBest) {
    EarlyStopping stopping = new EarlyStopping(patience);
    stopping.bestEpoch = bestEpoch;
    stopping.bestScore = Double.isNaN(bestScore) ? Double.NEGATIVE_INFINITY : bestScore;
    stopping.sinceBest = sinceBest;
    return stopping;
  }

  /** Records an epoch's validation score; true when it beats every earlier one (NaN never does). */
  public boolean record(int epoch, double score) {
    if (score > bestScore) {
      bestScore = score;
      bestEpoch = epoch;
      sinceBest = 0;
      return true;
    }
    sinceBest++;
    return false;
  }

  /**
   * Keeps an epoch that has no score to judge it by (no validation data): it becomes the best, and
   * the next scored epoch beats it. Returns true.
   */
  public boolean keepLatest(int epoch) {
    bestScore = Double.NEGATIVE_INFINITY;
    bestEpoch = epoch;
    sinceBest = 0;
    return true;
  }

  /** Whether {@code patience} epochs have passed without a better score. */
  public boolean exhausted() {
    return patience > 0 && sinceBest >= patience;
  }

  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best score so far, NaN when no epoch was scored. */
  public double bestScore() {
    return bestScore == Double.NEGATIVE_INFINITY ? Double.NaN : bestScore;
  }

  public int epochsSinceBest() {
    return sinceBest;
  }
}

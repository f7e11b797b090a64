package app.tessera.engine.hashing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Loss terms that several hashing methods share (BiLGSEH, SCAHN, the label-free contrastive
 * method). Codes are real-valued network outputs h (B x K) whose signs become the bits. Every mean
 * squared error is a mean over all elements.
 */
public final class HashLosses {
  private HashLosses() {}

  /** MSE(H, sign H): pulls outputs towards ±1 (the sign is a constant target). */
  public static NDArray quantisation(NDArray h) {
    return mse(h, h.sign().stopGradient());
  }

  /**
   * NT-Xent over the 2B rows [a; b]: row i's positive is its pair (i ± B), every other row but
   * itself is in the denominator; mean over the 2B rows.
   */
  public static NDArray ntXent(NDArray a, NDArray b, float tau) {
    long n = a.getShape().get(0);
    NDManager manager = a.getManager();
    NDArray zeros = manager.zeros(new Shape(n, n));
    NDArray half = manager.eye((int) n);
    NDArray pairs = zeros.concat(half, 1).concat(half.concat(zeros, 1), 0);
    return weightedNtXent(a, b, pairs, tau);
  }

  /**
   * NT-Xent with weighted positives over the 2B rows z = [a; b], cross- and intra-modal at once:
   * with cosine logits z_i·z_j/τ and row i itself left out of the softmax, the loss is the mean
   * over rows with any positive of −Σ_j w_ij log softmax_j, where w_i is row i of {@code weights}
   * (2B x 2B, diagonal ignored) scaled to sum to 1. {@link #ntXent} is the case w = the pair
   * indicator.
   */
  public static NDArray weightedNtXent(NDArray a, NDArray b, NDArray weights, float tau) {
    long n = a.getShape().get(0);
    NDArray z = normalizeRows(a.concat(b, 0));
    NDArray eye = z.getManager().eye((int) (2 * n));
    NDArray logits = z.matMul(z.transpose()).div(tau).sub(eye.mul(1e9f));
    NDArray w = weights.mul(eye.neg().add(1f));
    NDArray rowSums = w.sum(new int[] {1}, true);
    NDArray rowsWithPositives = rowSums.gt(0f).toType(w.getDataType(), false);
    NDArray targets = w.div(rowSums.add(rowsWithPositives.neg().add(1f)));
    NDArray perRow = logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg();
    return perRow.sum().div(rowsWithPositives.sum().maximum(1f));
  }

  /**
   * Symmetric cross-modal InfoNCE with soft targets: the cosine similarities of every row of {@code
   * a} with every row of {@code b}, over {@code tau}, softmaxed along each row (a→b) and each
   * column (b→a); each direction's loss is the cross-entropy against {@code targets} (B x B, rows
   * summing to 1, symmetric), averaged over rows; the result is the mean of both directions.
   */
  public static NDArray softInfoNce(NDArray a, NDArray b, NDArray targets, float tau) {
    long n = a.getShape().get(0);
    NDArray logits = normalizeRows(a).matMul(normalizeRows(b).transpose()).div(tau);
    NDArray aToB = logits.logSoftmax(1).mul(targets).sum().neg().div(n);
    NDArray bToA = logits.transpose().logSoftmax(1).mul(targets).sum().neg().div(n);
    return aToB.add(bToA).div(2);
  }

  /**
   * Bit balance: the squared mean of each bit over the batch, averaged over bits (0 = balanced).
   */
  public static NDArray balance(NDArray h) {
    return h.mean(new int[] {0}).square().mean();
  }

  /** Bit decorrelation: mean squared distance of the bits' second-moment matrix HᵀH/B from I. */
  public static NDArray decorrelation(NDArray h) {
    long b = h.getShape().get(0);
    long k = h.getShape().get(1);
    NDArray eye = h.getManager().eye((int) k);
    return h.transpose().matMul(h).div(b).sub(eye).square().mean();
  }

  /** Cosine similarity of every row of {@code a} with every row of {@code b}. */
  public static NDArray cosine(NDArray a, NDArray b) {
    return normalizeRows(a).matMul(normalizeRows(b).transpose());
  }

  /** Rows scaled to unit ℓ2 norm (a zero row stays zero). */
  public static NDArray normalizeRows(NDArray x) {
    return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
  }

  /** Mean squared error over every element. */
  public static NDArray mse(NDArray a, NDArray b) {
    return a.sub(b).square().mean();
  }
}

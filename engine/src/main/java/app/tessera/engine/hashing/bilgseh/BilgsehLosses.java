package app.tessera.engine.hashing.bilgseh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The losses of both BiLGSEH phases, as in the reference code (see {@code docs/methods.md} §1). All
 * mean squared errors are means over every element.
 */
public final class BilgsehLosses {
  private BilgsehLosses() {}

  /** Phase 1: quantisation + λ2 · label similarity + λ1 · NT-Xent. */
  public static NDArray codeLearning(
      NDArray hImage, NDArray hText, NDArray similarity, BilgsehConfig config) {
    NDArray quantisation = quantisation(hImage).add(quantisation(hText));
    NDArray labelSimilarity =
        mse(cosine(hImage, hImage), similarity).add(mse(cosine(hText, hText), similarity));
    NDArray contrastive = ntXent(hImage, hText, config.tau());
    return quantisation
        .add(labelSimilarity.mul(config.lambda2()))
        .add(contrastive.mul(config.lambda1()));
  }

  /**
   * Phase 2: regress the phase-1 sign codes ({@code bImage}, {@code bText}) and agree across
   * modalities, plus β times the similarity-preservation terms.
   */
  public static NDArray hashRegression(
      NDArray hImage,
      NDArray hText,
      NDArray bImage,
      NDArray bText,
      NDArray similarity,
      float beta) {
    NDArray regression = mse(hImage, bImage).add(mse(hText, bText)).add(mse(hImage, hText));
    NDArray structure =
        mse(cosine(hImage, hText), similarity)
            .add(mse(cosine(hImage, hImage), similarity))
            .add(mse(cosine(hText, hText), similarity));
    return regression.add(structure.mul(beta));
  }

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
    NDArray z = normalizeRows(a.concat(b, 0));
    NDManager manager = z.getManager();
    NDArray eye = manager.eye((int) (2 * n));
    NDArray logits = z.matMul(z.transpose()).div(tau).sub(eye.mul(1e9f));
    NDArray zeros = manager.zeros(new ai.djl.ndarray.types.Shape(n, n));
    NDArray half = manager.eye((int) n);
    NDArray positives = zeros.concat(half, 1).concat(half.concat(zeros, 1), 0);
    return logits.logSoftmax(1).mul(positives).sum().div(-2f * n);
  }

  /** Cosine similarity of every row of {@code a} with every row of {@code b}. */
  public static NDArray cosine(NDArray a, NDArray b) {
    return normalizeRows(a).matMul(normalizeRows(b).transpose());
  }

  /** Rows scaled to unit ℓ2 norm (a zero row stays zero). */
  public static NDArray normalizeRows(NDArray x) {
    return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
  }

  static NDArray mse(NDArray a, NDArray b) {
    return a.sub(b).square().mean();
  }
}

package app.tessera.engine.hashing.scahn;

import ai.djl.ndarray.NDArray;

/** SCAHN's own loss terms and attention read-outs (the shared ones are in {@code HashLosses}). */
final class ScahnLosses {
  private ScahnLosses() {}

  /**
   * Mean binary cross-entropy of {@code logits} against 0/1 {@code targets}, numerically stable.
   */
  static NDArray bceWithLogits(NDArray logits, NDArray targets) {
    // max(x, 0) - x y + log(1 + exp(-|x|))
    return logits
        .maximum(0f)
        .sub(logits.mul(targets))
        .add(logits.abs().neg().exp().add(1f).log())
        .mean();
  }

  /** BCE of every logit against one constant target (1: "real", 0: "other modality"). */
  static NDArray bceWithLogits(NDArray logits, float target) {
    return bceWithLogits(logits, logits.zerosLike().add(target));
  }

  /**
   * The code-similarity target of a batch: T = ρ S + (1 − ρ) I, with S the bi-directional label
   * similarity. An item's own pair aims at cosine 1, two different items with the same labels at ρ:
   * they share the label part of their codes but keep some bits of their own, so a group with one
   * label set does not collapse onto one code (ties at the head of the ranking).
   */
  static NDArray similarityTarget(NDArray similarity, float ceiling) {
    long n = similarity.getShape().get(0);
    NDArray eye = similarity.getManager().eye((int) n);
    return similarity.mul(ceiling).add(eye.mul(1f - ceiling));
  }

  /** Jaccard overlap of every pair of multi-hot label rows (B x B); 0 where both are empty. */
  static NDArray jaccard(NDArray labels) {
    NDArray inter = labels.matMul(labels.transpose());
    NDArray count = labels.sum(new int[] {1}, true);
    NDArray union = count.add(count.transpose()).sub(inter);
    return inter.div(union.maximum(1f));
  }

  /** The 2B x 2B block matrix [[w, w], [w, w]]: weights for rows [images; texts]. */
  static NDArray bothModalities(NDArray w) {
    NDArray row = w.concat(w, 1);
    return row.concat(row, 0);
  }

  /**
   * Cross-media attention read-out: every query token (B x Tq x A, e.g. a caption's words) attends
   * over the other modality's tokens (B x Tk x A, e.g. the paired image's regions; padding masked)
   * with softmax(q·k / temperature); the query item's own saliency {@code querySaliency} (B x Tq)
   * then averages those attention rows into one distribution over the key tokens (B x Tk): where
   * the other modality looks.
   */
  static NDArray crossSaliency(
      NDArray queries, NDArray querySaliency, NDArray keys, NDArray keyMask, float temperature) {
    NDArray scores = queries.matMul(keys.transpose(0, 2, 1)).div(temperature); // B x Tq x Tk
    NDArray attention = ModalityEncoder.maskedSoftmax(scores, keyMask.expandDims(1));
    long batch = keys.getShape().get(0);
    return querySaliency.expandDims(1).matMul(attention).reshape(batch, keys.getShape().get(1));
  }

  /** KL(p ‖ q) per row of two distributions (B x T), averaged over rows. */
  static NDArray kl(NDArray p, NDArray q) {
    float eps = 1e-8f;
    return p.mul(p.add(eps).log().sub(q.add(eps).log())).sum(new int[] {1}).mean();
  }

  /** The gradient-reversal factor λ(p) = 2 / (1 + exp(−10 p)) − 1 for training progress p. */
  static float reversal(double progress) {
    return (float) (2 / (1 + Math.exp(-10 * progress)) - 1);
  }

  /** {@code x} unchanged forward, its gradient multiplied by −λ backward (gradient reversal). */
  static NDArray reverseGradient(NDArray x, float lambda) {
    return x.scaleGradient(-lambda);
  }
}

package app.tessera.engine.hashing.bilgseh;

import static app.tessera.engine.hashing.HashLosses.cosine;
import static app.tessera.engine.hashing.HashLosses.mse;
import static app.tessera.engine.hashing.HashLosses.ntXent;
import static app.tessera.engine.hashing.HashLosses.quantisation;

import ai.djl.ndarray.NDArray;

/**
 * The losses of both BiLGSEH phases, as in the reference code (see {@code docs/methods.md} §1),
 * built from the shared terms of {@link app.tessera.engine.hashing.HashLosses}.
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
}

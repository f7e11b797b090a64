package app.tessera.engine.encode;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * Maps images to feature vectors, a batch at a time.
 *
 * <p>Input: the model-input RGB image of each item, as produced by {@link ModelInputImages} (alpha
 * composited onto white, letterboxed onto a white square). Any size is accepted; an encoder resizes
 * to its {@link #inputSize()} itself, so callers that already hold images of that size skip a
 * resampling step.
 *
 * <p>Native memory: each {@link #encode} call opens its own native scope for the batch and closes
 * it before returning; the encoder's weights live until {@link #close()}. Implementations are safe
 * to call from one thread at a time.
 */
public interface ImageEncoder extends AutoCloseable {
  /**
   * A stable identifier of the exact weights: name, version and a hash of the weights, e.g. {@code
   * tessera-cnn-v1-64px@3f2a9c01d4e7}. Used as the feature-cache key: two encoders with the same id
   * produce the same features.
   */
  String id();

  /** The length of each feature vector. */
  int dimension();

  /** The square side, in pixels, that the network reads. */
  int inputSize();

  /** Features of {@code images}, one row per image, in order. */
  float[][] encode(List<BufferedImage> images);

  /**
   * The shape of this encoder's token-level features ({@link #encodeTokens}), or empty when it has
   * none.
   */
  default Optional<Tokens> tokens() {
    return Optional.empty();
  }

  /**
   * Token-level features of {@code images}: one row of {@link Tokens#size()} values per item, in
   * order (see {@link Tokens} for the layout).
   *
   * @throws UnsupportedOperationException when {@link #tokens()} is empty
   */
  default float[][] encodeTokens(List<BufferedImage> images) {
    throw new UnsupportedOperationException(id() + " has no token-level features");
  }

  @Override
  void close();
}

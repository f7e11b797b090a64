package app.tessera.engine.encode;

import java.awt.image.BufferedImage;
import java.util.List;

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

  @Override
  void close();
}

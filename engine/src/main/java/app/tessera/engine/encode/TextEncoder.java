package app.tessera.engine.encode;

import java.util.List;

/**
 * Maps texts (captions, queries) to feature vectors, a batch at a time.
 *
 * <p>Native memory: each {@link #encode} call opens its own native scope for the batch and closes
 * it before returning; the encoder's weights live until {@link #close()}. Implementations are safe
 * to call from one thread at a time.
 */
public interface TextEncoder extends AutoCloseable {
  /**
   * A stable identifier of the exact weights and tokenizer: name, version and a hash, e.g. {@code
   * minilm-l6-v2-q@1a2b3c4d5e6f}. Used as the feature-cache key.
   */
  String id();

  /** The length of each feature vector. */
  int dimension();

  /** Features of {@code texts}, one row per text, in order. */
  float[][] encode(List<String> texts);

  @Override
  void close();
}

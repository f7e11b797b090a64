package app.tessera.engine.encode;

import java.util.List;
import java.util.Optional;

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

  /**
   * The shape of this encoder's token-level features ({@link #encodeTokens}), or empty when it has
   * none.
   */
  default Optional<Tokens> tokens() {
    return Optional.empty();
  }

  /**
   * Token-level features of {@code texts}: one row of {@link Tokens#size()} values per item, in
   * order (see {@link Tokens} for the layout).
   *
   * @throws UnsupportedOperationException when {@link #tokens()} is empty
   */
  default float[][] encodeTokens(List<String> texts) {
    throw new UnsupportedOperationException(id() + " has no token-level features");
  }

  @Override
  void close();
}

package app.tessera.engine.hashing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained hashing model: the query-time hash functions of both modalities. Codes come back packed
 * in the {@link app.tessera.engine.code.BinaryCodes} layout, one code per input row.
 */
public interface HashModel extends AutoCloseable {
  String method();

  int bits();

  long[] encodeImages(float[][] imageFeatures);

  long[] encodeTexts(float[][] textFeatures);

  /**
   * Whether the model reads token-level features besides the pooled ones ({@code encode.Tokens}):
   * then codes come from {@link #encodeImages(float[][], float[][])} and {@link
   * #encodeTexts(float[][], float[][])}, and the one-argument forms refuse to guess.
   */
  default boolean readsTokens() {
    return false;
  }

  /** Codes from pooled features and each row's own tokens (never the other modality's). */
  default long[] encodeImages(float[][] imageFeatures, float[][] imageTokens) {
    return encodeImages(imageFeatures);
  }

  /** Codes from pooled features and each row's own tokens (never the other modality's). */
  default long[] encodeTexts(float[][] textFeatures, float[][] textTokens) {
    return encodeTexts(textFeatures);
  }

  /** Writes the model and its metadata (method, bits, dims, settings) into {@code dir}. */
  void save(Path dir) throws IOException;

  @Override
  void close();
}

package app.tessera.engine.hashing;

import app.tessera.engine.code.BinaryCodes;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained hashing model: the query-time hash functions of both modalities. Codes come back packed
 * in the {@link app.tessera.engine.code.BinaryCodes} layout, one code per input row.
 *
 * <p>{@link #embedImages} and {@link #embedTexts} give the real-valued outputs whose signs are the
 * codes. A query keeps them to break Hamming ties (asymmetric distance: how strongly the query
 * holds each bit a candidate disagrees on); models without them answer ±1, which breaks no tie.
 */
public interface HashModel extends AutoCloseable {
  String method();

  int bits();

  long[] encodeImages(float[][] imageFeatures);

  long[] encodeTexts(float[][] textFeatures);

  /** The outputs before the sign, one row of {@link #bits()} values per input (default: ±1). */
  default float[][] embedImages(float[][] imageFeatures) {
    return unpack(encodeImages(imageFeatures), imageFeatures.length, bits());
  }

  /** The outputs before the sign, one row of {@link #bits()} values per input (default: ±1). */
  default float[][] embedTexts(float[][] textFeatures) {
    return unpack(encodeTexts(textFeatures), textFeatures.length, bits());
  }

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

  /** The outputs before the sign from pooled features and each row's own tokens (default: ±1). */
  default float[][] embedImages(float[][] imageFeatures, float[][] imageTokens) {
    return readsTokens()
        ? unpack(encodeImages(imageFeatures, imageTokens), imageFeatures.length, bits())
        : embedImages(imageFeatures);
  }

  /** The outputs before the sign from pooled features and each row's own tokens (default: ±1). */
  default float[][] embedTexts(float[][] textFeatures, float[][] textTokens) {
    return readsTokens()
        ? unpack(encodeTexts(textFeatures, textTokens), textFeatures.length, bits())
        : embedTexts(textFeatures);
  }

  /** Writes the model and its metadata (method, bits, dims, settings) into {@code dir}. */
  void save(Path dir) throws IOException;

  @Override
  void close();

  private static float[][] unpack(long[] codes, int rows, int bits) {
    float[][] out = new float[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = BinaryCodes.unpack(codes, i, bits);
    }
    return out;
  }
}

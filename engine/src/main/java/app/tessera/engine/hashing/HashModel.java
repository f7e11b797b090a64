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

  /** Writes the model and its metadata (method, bits, dims, settings) into {@code dir}. */
  void save(Path dir) throws IOException;

  @Override
  void close();
}

package app.tessera.engine.eval;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import java.io.IOException;

/**
 * Computes (or reads back from its cache) the features of every row of a dataset. The product's
 * provider runs Tessera's encoders; tests supply their own.
 */
@FunctionalInterface
public interface FeatureProvider {
  RowFeatures features(Dataset dataset, Device device, ProgressListener progress)
      throws IOException;

  /**
   * The features, with the token-level ones too when {@code tokens} (for methods that {@linkplain
   * app.tessera.engine.hashing.HashingMethod#needsTokens() need them}). A provider without tokens
   * returns pooled features only, and the caller says what is missing.
   */
  default RowFeatures features(
      Dataset dataset, Device device, boolean tokens, ProgressListener progress)
      throws IOException {
    return features(dataset, device, progress);
  }
}

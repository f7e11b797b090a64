package app.tessera.cli;

import app.tessera.engine.eval.FeatureProvider;

/**
 * The features {@code train} and {@code eval} use for a dataset folder: Tessera's image encoder
 * (trained on the dataset's training rows) and MiniLM for captions, cached per dataset and encoder.
 */
final class DatasetFeatureSource {
  private DatasetFeatureSource() {}

  static FeatureProvider provider() {
    return (dataset, device, progress) -> {
      throw new IllegalStateException(
          "dataset features need Tessera's image encoder, which is not in this build yet");
    };
  }
}

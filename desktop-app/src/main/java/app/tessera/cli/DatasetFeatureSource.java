package app.tessera.cli;

import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.eval.FeatureProvider;
import app.tessera.engine.eval.RowFeatures;
import java.util.List;

/**
 * The features {@code train} and {@code eval} use for a dataset folder: MiniLM for captions and
 * Tessera's CNN for images, the CNN trained on the dataset's training rows only ({@code
 * train+database}), everything cached per dataset and encoder under the data directory.
 */
final class DatasetFeatureSource {
  private DatasetFeatureSource() {}

  static FeatureProvider provider() {
    return (dataset, device, progress) -> {
      List<DatasetFeatures.Pair> pairs =
          dataset.rows().stream()
              .map(
                  (DatasetRow row) ->
                      new DatasetFeatures.Pair(
                          row.id(), row.image(), row.caption(), row.split().forTraining()))
              .toList();
      TesseraCnnTrainer.Options options = TesseraCnnTrainer.Options.defaults().withDevice(device);
      DatasetFeatures.Result result =
          DatasetFeatures.compute(
              pairs, options, DatasetFeatures.defaultCacheRoot(), progress::message);
      return new RowFeatures(
          result.imageEncoderId() + "+" + result.textEncoderId(), result.images(), result.texts());
    };
  }
}

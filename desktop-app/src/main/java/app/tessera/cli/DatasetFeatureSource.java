package app.tessera.cli;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.ClipModel;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.eval.FeatureProvider;
import app.tessera.engine.eval.ProgressListener;
import app.tessera.engine.eval.RowFeatures;
import java.io.IOException;
import java.util.List;

/**
 * The features {@code train} and {@code eval} use for a dataset folder, cached per dataset and
 * encoder under the data directory:
 *
 * <ul>
 *   <li>{@link Encoders#TESSERA} (default, offline): MiniLM for captions and Tessera's CNN for
 *       images, the CNN trained on the dataset's training rows only ({@code train+database});
 *   <li>{@link Encoders#CLIP}: both towers of CLIP ViT-B/32, once {@code tessera models download
 *       clip-vit-b32} has installed it; nothing is trained.
 * </ul>
 */
final class DatasetFeatureSource {
  private DatasetFeatureSource() {}

  /** The {@code --encoders} choice. */
  enum Encoders {
    TESSERA,
    CLIP
  }

  static FeatureProvider provider(Encoders encoders) {
    return new FeatureProvider() {
      @Override
      public RowFeatures features(Dataset dataset, Device device, ProgressListener progress)
          throws IOException {
        return features(dataset, device, false, progress);
      }

      @Override
      public RowFeatures features(
          Dataset dataset, Device device, boolean tokens, ProgressListener progress)
          throws IOException {
        return switch (encoders) {
          case TESSERA ->
              rowFeatures(
                  DatasetFeatures.compute(
                      pairs(dataset),
                      TesseraCnnTrainer.Options.defaults().withDevice(device),
                      DatasetFeatures.defaultCacheRoot(),
                      tokens,
                      progress::message));
          case CLIP -> {
            try (ClipModel clip = ClipModel.openInstalled()) {
              yield rowFeatures(
                  DatasetFeatures.encode(
                      pairs(dataset),
                      clip.imageEncoder(),
                      clip.textEncoder(),
                      DatasetFeatures.defaultCacheRoot(),
                      tokens,
                      progress::message));
            }
          }
        };
      }
    };
  }

  private static List<DatasetFeatures.Pair> pairs(Dataset dataset) {
    return dataset.rows().stream()
        .map(
            (DatasetRow row) ->
                new DatasetFeatures.Pair(
                    row.id(), row.image(), row.caption(), row.split().forTraining()))
        .toList();
  }

  private static RowFeatures rowFeatures(DatasetFeatures.Result result) {
    return new RowFeatures(
        result.imageEncoderId() + "+" + result.textEncoderId(),
        result.images(),
        result.texts(),
        result.imageEncoderDir(),
        result.imageTokens(),
        result.textTokens());
  }
}

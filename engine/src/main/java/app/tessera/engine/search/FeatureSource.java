package app.tessera.engine.search;

import java.util.Optional;

/** Cached float features for re-ranking, in the same space as {@link EncodedQuery#features()}. */
public interface FeatureSource {
  Optional<float[]> imageFeatures(long itemId);

  Optional<float[]> captionFeatures(long captionId);

  /** No features: re-ranking is skipped. */
  FeatureSource NONE =
      new FeatureSource() {
        @Override
        public Optional<float[]> imageFeatures(long itemId) {
          return Optional.empty();
        }

        @Override
        public Optional<float[]> captionFeatures(long captionId) {
          return Optional.empty();
        }
      };
}

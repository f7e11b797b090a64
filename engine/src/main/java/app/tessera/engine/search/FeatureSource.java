package app.tessera.engine.search;

/**
 * Cached float features for re-ranking, in the same space as {@link EncodedQuery#features()}. Read
 * on demand for the few candidates a query re-ranks, never held for the whole library.
 */
public interface FeatureSource {
  /** The features of these image items: row {@code i} for {@code itemIds[i]}, null where none. */
  float[][] imageFeatures(long[] itemIds);

  /** The features of these captions: row {@code i} for {@code captionIds[i]}, null where none. */
  float[][] captionFeatures(long[] captionIds);

  /** No features: re-ranking is skipped. */
  FeatureSource NONE =
      new FeatureSource() {
        @Override
        public float[][] imageFeatures(long[] itemIds) {
          return new float[itemIds.length][];
        }

        @Override
        public float[][] captionFeatures(long[] captionIds) {
          return new float[captionIds.length][];
        }
      };
}

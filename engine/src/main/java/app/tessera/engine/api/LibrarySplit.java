package app.tessera.engine.api;

import app.tessera.engine.dataset.Split;
import app.tessera.engine.store.ItemStore;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which of a library's images are evaluation queries and which a model may train on, so that a
 * model trained on the library is never evaluated on what it learnt from ({@code docs/methods.md}
 * §3). Images imported with a {@code split} attribute keep it: {@code query} rows are queries, and
 * when any row is marked {@code train+database} only those are trained on. A library without query
 * rows holds out a fixed tenth of its images, chosen by item id, as its queries.
 */
final class LibrarySplit {
  private static final String QUERY = Split.QUERY.label();
  private static final String TRAIN = Split.TRAIN_DATABASE.label();

  private final Map<Long, String> splits;
  private final boolean marksQueries;
  private final boolean marksTraining;

  private LibrarySplit(Map<Long, String> splits) {
    this.splits = splits;
    this.marksQueries = splits.containsValue(QUERY);
    this.marksTraining = splits.containsValue(TRAIN);
  }

  static LibrarySplit of(ItemStore items) {
    return new LibrarySplit(items.attribute("split"));
  }

  /** Whether image {@code imageId} (and its captions) is an evaluation query. */
  boolean isQuery(long imageId) {
    if (marksQueries) {
      return QUERY.equals(splits.get(imageId));
    }
    return new SplittableRandom(imageId * 0x9E3779B97F4A7C15L + 0x5EED).nextInt(10) == 0;
  }

  /** Whether a model may train (or hold out validation) on image {@code imageId}. */
  boolean trainable(long imageId) {
    if (isQuery(imageId)) {
      return false;
    }
    return !marksTraining || TRAIN.equals(splits.get(imageId));
  }
}

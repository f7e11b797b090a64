package app.tessera.engine.hashing;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The validation score every method early-stops on: the mean of image→text and text→image mAP@all
 * of a model's codes on a validation {@link FeatureSet} (held out of the training rows), each
 * validation row querying all the others' other modality. Relevance is "shares a label" when the
 * set has labels, else "same caption" ({@link #captionGroups}), so label-free data works too.
 */
public final class Validation {
  private Validation() {}

  /** Mean of i2t and t2i mAP@all of {@code model} on {@code validation}; NaN when empty. */
  public static double score(HashModel model, FeatureSet validation) {
    if (validation == null || validation.size() == 0) {
      return Double.NaN;
    }
    Relevance relevance = relevance(validation);
    long[] images = validation.imageCodes(model);
    long[] texts = validation.textCodes(model);
    double i2t = RetrievalEvaluator.hamming(images, texts, model.bits(), relevance).mapAll();
    double t2i = RetrievalEvaluator.hamming(texts, images, model.bits(), relevance).mapAll();
    return (i2t + t2i) / 2;
  }

  /** How many random codings {@link #chance} draws. */
  public static final int CHANCE_DRAWS = 20;

  /**
   * The best {@link #score} of {@value #CHANCE_DRAWS} seeded random codings of {@code validation}
   * at {@code bits}: what codes that learned nothing reach on these rows. A model that does not
   * score above it has not shown that it beats chance (a model that learned nothing would score
   * above all draws once in 21). NaN when the set is empty.
   */
  public static double chance(FeatureSet validation, int bits, long seed) {
    if (validation == null || validation.size() == 0) {
      return Double.NaN;
    }
    Relevance relevance = relevance(validation);
    Random random = new Random(seed);
    double best = 0;
    for (int draw = 0; draw < CHANCE_DRAWS; draw++) {
      long[] images = randomCodes(validation.size(), bits, random);
      long[] texts = randomCodes(validation.size(), bits, random);
      double i2t = RetrievalEvaluator.hamming(images, texts, bits, relevance).mapAll();
      double t2i = RetrievalEvaluator.hamming(texts, images, bits, relevance).mapAll();
      best = Math.max(best, (i2t + t2i) / 2);
    }
    return best;
  }

  private static long[] randomCodes(int n, int bits, Random random) {
    int words = BinaryCodes.wordsPerCode(bits);
    long lastMask = bits % 64 == 0 ? -1L : (1L << (bits % 64)) - 1;
    long[] codes = new long[n * words];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = random.nextLong() & (i % words == words - 1 ? lastMask : -1L);
    }
    return codes;
  }

  /** Shared-label relevance when the set has labels, else same-caption relevance. */
  public static Relevance relevance(FeatureSet set) {
    if (set.hasLabels()) {
      return Relevance.sharedLabel(set.labels(), set.labels());
    }
    int[] groups = captionGroups(set.texts());
    return Relevance.sameGroup(groups, groups);
  }

  /**
   * A group id per row: rows whose text features are identical (the same caption, e.g. one emoji
   * drawn in several styles) share a group. Ids are dense, in order of first appearance.
   */
  public static int[] captionGroups(float[][] texts) {
    Map<FeatureKey, Integer> ids = new HashMap<>();
    int[] groups = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      groups[i] = ids.computeIfAbsent(new FeatureKey(texts[i]), k -> ids.size());
    }
    return groups;
  }

  private record FeatureKey(float[] values) {
    @Override
    public boolean equals(Object other) {
      return other instanceof FeatureKey key && Arrays.equals(values, key.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}

package app.tessera.engine.metrics;

import java.util.Objects;

/**
 * Which database items are relevant to which queries. The protocol of {@code docs/methods.md} §3: a
 * query and an item are relevant when they share at least one label ({@link #sharedLabel}).
 * Label-free data (validation on image-caption pairs) uses {@link #sameGroup}: relevant when both
 * carry the same group id, e.g. the index of their caption.
 */
public interface Relevance {
  int queryCount();

  int itemCount();

  boolean relevant(int query, int item);

  /** Relevant when the multi-hot label rows (n x C, nonzero = has the label) share a label. */
  static Relevance sharedLabel(float[][] queryLabels, float[][] itemLabels) {
    Objects.requireNonNull(queryLabels, "queryLabels");
    Objects.requireNonNull(itemLabels, "itemLabels");
    int labels = queryLabels.length > 0 ? queryLabels[0].length : 0;
    if (itemLabels.length > 0 && itemLabels[0].length != labels && queryLabels.length > 0) {
      throw new IllegalArgumentException(
          "queries have " + labels + " labels but items have " + itemLabels[0].length);
    }
    int words = Math.max(1, (labels + 63) >>> 6);
    long[] queries = packLabels(queryLabels, words);
    long[] items = packLabels(itemLabels, words);
    return new SharedLabel(queries, queryLabels.length, items, itemLabels.length, words);
  }

  /** Relevant when {@code queryGroups[q] == itemGroups[item]}. */
  static Relevance sameGroup(int[] queryGroups, int[] itemGroups) {
    int[] queries = queryGroups.clone();
    int[] items = itemGroups.clone();
    return new Relevance() {
      @Override
      public int queryCount() {
        return queries.length;
      }

      @Override
      public int itemCount() {
        return items.length;
      }

      @Override
      public boolean relevant(int query, int item) {
        return queries[query] == items[item];
      }
    };
  }

  private static long[] packLabels(float[][] rows, int words) {
    long[] packed = new long[rows.length * words];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      for (int c = 0; c < row.length; c++) {
        if (row[c] != 0f) {
          packed[i * words + (c >>> 6)] |= 1L << (c & 63);
        }
      }
    }
    return packed;
  }

  /** Label sets packed as bitsets, so relevance is one AND per word. */
  record SharedLabel(long[] queries, int queryCount, long[] items, int itemCount, int words)
      implements Relevance {
    @Override
    public boolean relevant(int query, int item) {
      int q = query * words;
      int i = item * words;
      for (int w = 0; w < words; w++) {
        if ((queries[q + w] & items[i + w]) != 0) {
          return true;
        }
      }
      return false;
    }
  }
}

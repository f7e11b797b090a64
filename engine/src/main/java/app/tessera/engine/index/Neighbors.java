package app.tessera.engine.index;

import java.util.Arrays;

/**
 * Search results, best first: ascending Hamming distance, ties in insertion order. As in FAISS, a
 * k-NN result always has k rows; rows past {@link #count()} hold id {@code -1} and distance {@link
 * Integer#MAX_VALUE}. A range result has exactly {@code count()} rows.
 */
public final class Neighbors {
  private final long[] ids;
  private final int[] distances;
  private final int count;

  Neighbors(long[] ids, int[] distances, int count) {
    this.ids = ids;
    this.distances = distances;
    this.count = count;
  }

  /** Number of real results (rows before the padding). */
  public int count() {
    return count;
  }

  /** Id of row {@code i}, or -1 for padding. */
  public long id(int i) {
    return ids[i];
  }

  /** Hamming distance of row {@code i}, or {@link Integer#MAX_VALUE} for padding. */
  public int distance(int i) {
    return distances[i];
  }

  /** All rows' ids, padding included (a copy). */
  public long[] ids() {
    return ids.clone();
  }

  /** All rows' distances, padding included (a copy). */
  public int[] distances() {
    return distances.clone();
  }

  @Override
  public String toString() {
    return "Neighbors" + Arrays.toString(Arrays.copyOf(ids, count));
  }
}

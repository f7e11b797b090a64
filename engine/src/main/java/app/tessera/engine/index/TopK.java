package app.tessera.engine.index;

import java.util.Arrays;

/**
 * Stable top-k by counting: candidates go to a buffer and a per-distance histogram; as soon as k
 * candidates at distance ≤ D are held, the limit drops below D, so the scan rejects almost every
 * later code with one vector compare and no heap. Because ordinals arrive in ascending order, the
 * earliest of equally distant codes win, which is the insertion-order tie rule.
 */
final class TopK implements Collector {
  private final int k;
  private final int[] counts;
  private long[] keys;
  private int size;
  private int limit;

  TopK(int k, int bits) {
    this.k = k;
    this.counts = new int[bits + 1];
    this.keys = new long[Math.max(64, 2 * k)];
    this.limit = k == 0 ? -1 : bits;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public void offer(int distance, long ordinal) {
    if (distance > limit) {
      return;
    }
    if (size == keys.length) {
      compact();
    }
    keys[size++] = Collector.key(distance, ordinal);
    counts[distance]++;
    int held = 0;
    for (int d = 0; d <= limit; d++) {
      held += counts[d];
      if (held >= k) {
        limit = d - 1; // k codes at distance <= d came first: later ones at d lose the tie
        return;
      }
    }
  }

  /** Keeps exactly the best min(k, size) keys, in buffer (= ordinal) order per distance. */
  private void compact() {
    int[] quota = new int[counts.length];
    int left = k;
    for (int d = 0; d < counts.length && left > 0; d++) {
      quota[d] = Math.min(counts[d], left);
      left -= quota[d];
    }
    int out = 0;
    Arrays.fill(counts, 0);
    for (int i = 0; i < size; i++) {
      int d = Collector.distance(keys[i]);
      if (counts[d] < quota[d]) {
        counts[d]++;
        keys[out++] = keys[i];
      }
    }
    size = out;
  }

  /** The best keys, ascending (distance, then ordinal). */
  long[] sortedKeys() {
    compact();
    long[] result = Arrays.copyOf(keys, size);
    Arrays.sort(result);
    return result;
  }
}

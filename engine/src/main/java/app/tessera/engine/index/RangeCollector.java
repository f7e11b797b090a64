package app.tessera.engine.index;

import java.util.Arrays;

/** Collects every candidate within a fixed radius. */
final class RangeCollector implements Collector {
  private final int radius;
  private long[] keys = new long[64];
  private int size;

  RangeCollector(int radius) {
    this.radius = radius;
  }

  @Override
  public int limit() {
    return radius;
  }

  @Override
  public void offer(int distance, long ordinal) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    keys[size++] = Collector.key(distance, ordinal);
  }

  long[] sortedKeys() {
    long[] result = Arrays.copyOf(keys, size);
    Arrays.sort(result);
    return result;
  }
}

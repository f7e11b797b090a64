package app.tessera.engine.index;

/**
 * Receives scan candidates as (distance, ordinal) pairs. {@link #limit()} is the largest distance
 * still worth offering; the scan compares against it before doing any other work.
 */
interface Collector {
  int limit();

  /** Offers a candidate with {@code distance <= limit()}; ordinals arrive in ascending order. */
  void offer(int distance, long ordinal);

  /** Ranking key: distance first, then insertion ordinal (so ties keep insertion order). */
  static long key(int distance, long ordinal) {
    return ((long) distance << ORDINAL_BITS) | ordinal;
  }

  static int distance(long key) {
    return (int) (key >>> ORDINAL_BITS);
  }

  static long ordinal(long key) {
    return key & ((1L << ORDINAL_BITS) - 1);
  }

  int ORDINAL_BITS = 40;
}

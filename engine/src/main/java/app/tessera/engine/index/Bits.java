package app.tessera.engine.index;

/** Deletion bitsets: a null set means "nothing deleted", so untouched segments cost nothing. */
final class Bits {
  private Bits() {}

  static boolean get(long[] set, int i) {
    return set != null && (set[i >>> 6] & (1L << i)) != 0;
  }

  static int count(long[] set) {
    if (set == null) {
      return 0;
    }
    int n = 0;
    for (long word : set) {
      n += Long.bitCount(word);
    }
    return n;
  }

  static long[] copyOrNew(long[] set, int size) {
    return set == null ? new long[(size + 63) >>> 6] : set.clone();
  }

  static void set(long[] set, int i) {
    set[i >>> 6] |= 1L << i;
  }
}

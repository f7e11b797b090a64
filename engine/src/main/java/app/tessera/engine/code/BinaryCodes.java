package app.tessera.engine.code;

/**
 * The one packed layout for K-bit binary codes, shared by hashing, metrics, index and store.
 *
 * <p>A code is {@code wordsPerCode(K)} consecutive {@code long}s; bit {@code j} of the code (the
 * sign of output {@code j}) is bit {@code j % 64} of word {@code j / 64}, set for +1 and clear for
 * -1. An output of exactly 0 maps to +1, as in the methods' reference code. Unused high bits of the
 * last word stay clear, so the Hamming distance is simply the popcount of the XOR.
 */
public final class BinaryCodes {
  private BinaryCodes() {}

  /** Number of {@code long} words holding one code of {@code bits} bits. */
  public static int wordsPerCode(int bits) {
    if (bits <= 0) {
      throw new IllegalArgumentException("code length must be positive, got " + bits);
    }
    return (bits + 63) >>> 6;
  }

  /** Packs the signs of {@code rows} (n rows of K floats) into n codes. */
  public static long[] pack(float[][] rows) {
    if (rows.length == 0) {
      return new long[0];
    }
    int bits = rows[0].length;
    int words = wordsPerCode(bits);
    long[] packed = new long[rows.length * words];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      if (row.length != bits) {
        throw new IllegalArgumentException(
            "row " + i + " has " + row.length + " bits, not " + bits);
      }
      packInto(row, packed, i * words);
    }
    return packed;
  }

  /** Packs the signs of one row of K floats at {@code offset} of {@code out}. */
  public static void packInto(float[] row, long[] out, int offset) {
    for (int j = 0; j < row.length; j++) {
      if (row[j] >= 0f) {
        out[offset + (j >>> 6)] |= 1L << (j & 63);
      }
    }
  }

  /** Unpacks code {@code index} back to ±1 values. */
  public static float[] unpack(long[] codes, int index, int bits) {
    int words = wordsPerCode(bits);
    float[] row = new float[bits];
    for (int j = 0; j < bits; j++) {
      long word = codes[index * words + (j >>> 6)];
      row[j] = ((word >>> (j & 63)) & 1L) != 0 ? 1f : -1f;
    }
    return row;
  }

  /** Hamming distance between code {@code i} of {@code a} and code {@code j} of {@code b}. */
  public static int distance(long[] a, int i, long[] b, int j, int words) {
    int d = 0;
    int ai = i * words;
    int bj = j * words;
    for (int w = 0; w < words; w++) {
      d += Long.bitCount(a[ai + w] ^ b[bj + w]);
    }
    return d;
  }
}

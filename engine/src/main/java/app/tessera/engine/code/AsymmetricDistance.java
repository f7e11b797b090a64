package app.tessera.engine.code;

/**
 * The asymmetric distance from a query's real-valued hash outputs {@code h} (the values whose signs
 * make its code) to a packed code {@code b}: the sum of {@code |h_j|} over the bits {@code j} where
 * {@code b} disagrees with {@code sign(h_j)}. Two codes at the same Hamming distance from the query
 * then differ by how firmly the query holds the bits they get wrong. It equals {@code (Σ|h_j| − ⟨h,
 * b⟩) / 2} with {@code b} read as ±1, so ordering by it is ordering by the inner product of the
 * real-valued query with the binary code, as asymmetric hashing does.
 *
 * <p>The weights {@code |h_j|} are fixed-point integers (scaled so the largest is {@value #SCALE}),
 * so sums are exact: codes that differ from the query on equally weighted bits tie exactly,
 * whatever bits they are (a ±1 query gives the Hamming distance times {@value #SCALE}). One lookup
 * table per byte of the code (256 partial sums), so a distance costs {@code K/8} lookups. Built
 * once per query; thread-safe after construction.
 */
public final class AsymmetricDistance {
  private final int bits;
  private final int words;

  /** The fixed-point value of the largest weight. */
  public static final int SCALE = 1 << 15;

  private final int[] table; // [byte position][candidate byte value] flattened

  /** Tables for the query outputs {@code h} (length = code bits). */
  public AsymmetricDistance(float[] h) {
    if (h.length == 0) {
      throw new IllegalArgumentException("no hash outputs");
    }
    bits = h.length;
    words = BinaryCodes.wordsPerCode(bits);
    int bytes = words * 8;
    table = new int[bytes * 256];
    float max = 0;
    for (float v : h) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("hash outputs must be finite");
      }
      max = Math.max(max, Math.abs(v));
    }
    double scale = max == 0 ? 0 : SCALE / (double) max;
    for (int p = 0; p < bytes; p++) {
      int queryByte = 0;
      int[] weight = new int[8];
      for (int t = 0; t < 8; t++) {
        int j = p * 8 + t;
        if (j < bits) {
          queryByte |= h[j] >= 0f ? 1 << t : 0;
          weight[t] = (int) Math.round(Math.abs(h[j]) * scale);
        }
      }
      for (int v = 0; v < 256; v++) {
        int disagree = v ^ queryByte;
        int sum = 0;
        for (int t = 0; t < 8; t++) {
          if ((disagree >>> t & 1) != 0) {
            sum += weight[t];
          }
        }
        table[p * 256 + v] = sum;
      }
    }
  }

  public int bits() {
    return bits;
  }

  /**
   * The distance to code {@code index} of {@code codes} ({@link BinaryCodes} layout), in units of
   * the largest weight / {@value #SCALE}.
   */
  public long to(long[] codes, int index) {
    long sum = 0;
    int base = index * words;
    for (int w = 0; w < words; w++) {
      long word = codes[base + w];
      int p = w * 8 * 256;
      for (int b = 0; b < 8; b++) {
        sum += table[p + b * 256 + (int) (word >>> (8 * b) & 0xFF)];
      }
    }
    return sum;
  }
}

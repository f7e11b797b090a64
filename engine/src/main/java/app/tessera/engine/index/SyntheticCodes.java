package app.tessera.engine.index;

import app.tessera.engine.code.BinaryCodes;
import java.util.SplittableRandom;

/**
 * Seeded synthetic codes in the {@link BinaryCodes} layout, for tests and benchmarks.
 *
 * <ul>
 *   <li>{@link Kind#UNIFORM}: every bit a fair coin. The worst case for multi-index hashing (no
 *       near neighbours) and what most papers benchmark.
 *   <li>{@link Kind#CLUSTERED}: realistic structure: a code is one of a few thousand centres
 *       (categories, near-duplicates) with each bit flipped with probability 3/32, so neighbours
 *       are close, as in codes from a trained hashing model.
 * </ul>
 */
public final class SyntheticCodes {
  /** How the codes are drawn. */
  public enum Kind {
    UNIFORM,
    CLUSTERED
  }

  /** Probability that a clustered code differs from its centre in a given bit. */
  public static final double FLIP_PROBABILITY = 3.0 / 32;

  private final int bits;
  private final int words;
  private final Kind kind;
  private final long[] centres;
  private final int centreCount;

  /**
   * @param centreCount number of cluster centres (ignored for {@link Kind#UNIFORM})
   */
  public SyntheticCodes(int bits, Kind kind, int centreCount, long seed) {
    this.bits = bits;
    this.words = BinaryCodes.wordsPerCode(bits);
    this.kind = kind;
    this.centreCount = Math.max(1, centreCount);
    SplittableRandom random = new SplittableRandom(seed ^ 0x5EEDL);
    this.centres = new long[this.centreCount * words];
    for (int c = 0; c < this.centreCount; c++) {
      uniform(random, centres, c);
    }
  }

  public int bits() {
    return bits;
  }

  public Kind kind() {
    return kind;
  }

  /** {@code n} codes drawn with {@code seed}. */
  public long[] generate(int n, long seed) {
    long[] codes = new long[Math.multiplyExact(n, words)];
    fill(codes, 0, n, seed);
    return codes;
  }

  /** Writes codes {@code from..to} of {@code out}; each code depends only on (seed, index). */
  public void fill(long[] out, int from, int to, long seed) {
    for (int i = from; i < to; i++) {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      if (kind == Kind.UNIFORM) {
        uniform(random, out, i);
      } else {
        noisyCentre(random, out, i);
      }
    }
  }

  private void uniform(SplittableRandom random, long[] out, int code) {
    for (int w = 0; w < words; w++) {
      out[code * words + w] = random.nextLong() & usedMask(w);
    }
  }

  private void noisyCentre(SplittableRandom random, long[] out, int code) {
    int c = random.nextInt(centreCount);
    for (int w = 0; w < words; w++) {
      // Each bit flips with probability 1/8 * 3/4 = 3/32: AND of three fair words, thinned.
      long thin = random.nextLong() | random.nextLong();
      long flips = random.nextLong() & random.nextLong() & random.nextLong() & thin;
      out[code * words + w] = (centres[c * words + w] ^ flips) & usedMask(w);
    }
  }

  private long usedMask(int w) {
    int used = bits - 64 * w;
    return used >= 64 ? -1L : (1L << used) - 1;
  }
}

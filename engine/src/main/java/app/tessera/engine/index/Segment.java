package app.tessera.engine.index;

import app.tessera.engine.code.BinaryCodes;
import java.util.Arrays;

/**
 * An immutable run of codes added together, stored column-wise so the scan reads each word of every
 * code as one contiguous stream: codes of up to 16 bits as a {@code short[]}, up to 32 bits as an
 * {@code int[]}, longer codes as one {@code long[]} plane per 64-bit word. Never one object per
 * item.
 */
final class Segment {
  final int bits;
  final int words;
  final int size;
  final long[] ids;
  final long minId;
  final long maxId;

  /** Codes of up to 16 bits, else null. */
  final short[] codes16;

  /** Codes of 17 to 32 bits, else null. */
  final int[] codes32;

  /** Word planes of longer codes ({@code planes[w][i]} is word w of code i), else null. */
  final long[][] planes;

  /** Multi-index hashing tables, or null when this segment is only scanned. */
  final MultiIndexTables tables;

  private Segment(
      int bits, long[] ids, short[] c16, int[] c32, long[][] planes, boolean buildTables) {
    this.bits = bits;
    this.words = BinaryCodes.wordsPerCode(bits);
    this.size = ids.length;
    this.ids = ids;
    this.codes16 = c16;
    this.codes32 = c32;
    this.planes = planes;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long id : ids) {
      min = Math.min(min, id);
      max = Math.max(max, id);
    }
    this.minId = min;
    this.maxId = max;
    this.tables = buildTables && size > 0 ? MultiIndexTables.build(this) : null;
  }

  /**
   * Copies {@code count} codes in the {@link BinaryCodes} layout, starting at code {@code from}.
   */
  static Segment of(
      int bits, long[] ids, int idFrom, long[] codes, int from, int count, boolean buildTables) {
    int words = BinaryCodes.wordsPerCode(bits);
    long[] segmentIds = new long[count];
    System.arraycopy(ids, idFrom, segmentIds, 0, count);
    short[] c16 = null;
    int[] c32 = null;
    long[][] planes = null;
    if (bits <= 16) {
      c16 = new short[count];
      for (int i = 0; i < count; i++) {
        c16[i] = (short) codes[from + i];
      }
    } else if (bits <= 32) {
      c32 = new int[count];
      for (int i = 0; i < count; i++) {
        c32[i] = (int) codes[from + i];
      }
    } else if (words == 1) {
      planes = new long[][] {Arrays.copyOfRange(codes, from, from + count)};
    } else {
      planes = new long[words][count];
      for (int i = 0; i < count; i++) {
        int base = (from + i) * words;
        for (int w = 0; w < words; w++) {
          planes[w][i] = codes[base + w];
        }
      }
    }
    return new Segment(bits, segmentIds, c16, c32, planes, buildTables);
  }

  /** The live codes of {@code parts} (deleted ones left out), in order, as one segment. */
  static Segment merge(int bits, Segment[] parts, long[][] deleted, boolean buildTables) {
    int total = 0;
    for (int p = 0; p < parts.length; p++) {
      total += parts[p].size - Bits.count(deleted[p]);
    }
    int words = BinaryCodes.wordsPerCode(bits);
    long[] ids = new long[total];
    short[] c16 = bits <= 16 ? new short[total] : null;
    int[] c32 = bits > 16 && bits <= 32 ? new int[total] : null;
    long[][] planes = bits > 32 ? new long[words][total] : null;
    int out = 0;
    for (int p = 0; p < parts.length; p++) {
      Segment s = parts[p];
      for (int i = 0; i < s.size; i++) {
        if (Bits.get(deleted[p], i)) {
          continue;
        }
        ids[out] = s.ids[i];
        if (c16 != null) {
          c16[out] = s.codes16[i];
        } else if (c32 != null) {
          c32[out] = s.codes32[i];
        } else {
          for (int w = 0; w < words; w++) {
            planes[w][out] = s.planes[w][i];
          }
        }
        out++;
      }
    }
    return new Segment(bits, ids, c16, c32, planes, buildTables);
  }

  /** This segment with multi-index hashing tables (sharing the codes). */
  Segment withTables() {
    return new Segment(bits, ids, codes16, codes32, planes, true);
  }

  /** Word {@code w} of code {@code i}, in the {@link BinaryCodes} layout. */
  long word(int i, int w) {
    if (codes16 != null) {
      return codes16[i] & 0xFFFFL;
    }
    if (codes32 != null) {
      return codes32[i] & 0xFFFF_FFFFL;
    }
    return planes[w][i];
  }

  /** Hamming distance between code {@code i} and {@code query} (BinaryCodes layout). */
  int distance(int i, long[] query) {
    int d = 0;
    for (int w = 0; w < words; w++) {
      d += Long.bitCount(word(i, w) ^ query[w]);
    }
    return d;
  }

  /** Bytes held by the codes, ids and tables of this segment. */
  long ramBytes() {
    long codeBytes = (long) size * (bits <= 16 ? 2 : bits <= 32 ? 4 : 8L * words);
    return codeBytes + 8L * size + (tables == null ? 0 : tables.ramBytes());
  }
}

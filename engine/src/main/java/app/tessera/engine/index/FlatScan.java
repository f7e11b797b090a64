package app.tessera.engine.index;

import java.util.function.LongPredicate;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact scan kernels: XOR + BIT_COUNT over a whole vector of codes per step (8 codes of 64
 * bits, 32 of 16 bits with AVX-512), then one compare against the collector's limit. Only lanes
 * under the limit leave the vector path, so once the top-k fills the scan runs at memory speed.
 * Specialised for 16, 32, 64 and 128 bits; longer codes add one plane per 64-bit word.
 */
final class FlatScan {
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;

  private FlatScan() {}

  /** What one scan needs besides the codes: deletions, the id filter and the ordinal base. */
  record Target(Segment segment, long[] deleted, long base, LongPredicate filter) {
    /** Offers code {@code i} at distance {@code d} when it is live and passes the filter. */
    void offer(Collector out, int i, int d) {
      if (d <= out.limit()
          && !Bits.get(deleted, i)
          && (filter == null || filter.test(segment.ids[i]))) {
        out.offer(d, base + i);
      }
    }
  }

  /** Scans codes {@code [from, to)} of the target's segment. */
  static void scan(Target t, long[] query, int from, int to, Collector out) {
    Segment s = t.segment();
    if (s.codes16 != null) {
      scan16(t, s.codes16, (short) query[0], from, to, out);
    } else if (s.codes32 != null) {
      scan32(t, s.codes32, (int) query[0], from, to, out);
    } else if (s.words == 1) {
      scan64(t, s.planes[0], query[0], from, to, out);
    } else if (s.words == 2) {
      scan128(t, s.planes[0], s.planes[1], query[0], query[1], from, to, out);
    } else {
      scanWide(t, s.planes, query, from, to, out);
    }
  }

  private static void scan16(Target t, short[] codes, short q, int from, int to, Collector out) {
    ShortVector qv = ShortVector.broadcast(SHORTS, q);
    ShortVector limit = ShortVector.broadcast(SHORTS, (short) out.limit());
    int step = SHORTS.length();
    int i = from;
    for (int bound = from + SHORTS.loopBound(to - from); i < bound; i += step) {
      ShortVector d =
          ShortVector.fromArray(SHORTS, codes, i)
              .lanewise(VectorOperators.XOR, qv)
              .lanewise(VectorOperators.BIT_COUNT);
      VectorMask<Short> hits = d.compare(VectorOperators.LE, limit);
      if (hits.anyTrue()) {
        for (long m = hits.toLong(); m != 0; m &= m - 1) {
          int j = i + Long.numberOfTrailingZeros(m);
          t.offer(out, j, Integer.bitCount((codes[j] ^ q) & 0xFFFF));
        }
        limit = ShortVector.broadcast(SHORTS, (short) out.limit());
      }
    }
    for (; i < to; i++) {
      t.offer(out, i, Integer.bitCount((codes[i] ^ q) & 0xFFFF));
    }
  }

  private static void scan32(Target t, int[] codes, int q, int from, int to, Collector out) {
    IntVector qv = IntVector.broadcast(INTS, q);
    IntVector limit = IntVector.broadcast(INTS, out.limit());
    int step = INTS.length();
    int i = from;
    for (int bound = from + INTS.loopBound(to - from); i < bound; i += step) {
      IntVector d =
          IntVector.fromArray(INTS, codes, i)
              .lanewise(VectorOperators.XOR, qv)
              .lanewise(VectorOperators.BIT_COUNT);
      VectorMask<Integer> hits = d.compare(VectorOperators.LE, limit);
      if (hits.anyTrue()) {
        for (long m = hits.toLong(); m != 0; m &= m - 1) {
          int j = i + Long.numberOfTrailingZeros(m);
          t.offer(out, j, Integer.bitCount(codes[j] ^ q));
        }
        limit = IntVector.broadcast(INTS, out.limit());
      }
    }
    for (; i < to; i++) {
      t.offer(out, i, Integer.bitCount(codes[i] ^ q));
    }
  }

  private static void scan64(Target t, long[] codes, long q, int from, int to, Collector out) {
    LongVector qv = LongVector.broadcast(LONGS, q);
    LongVector limit = LongVector.broadcast(LONGS, out.limit());
    int step = LONGS.length();
    int i = from;
    for (int bound = from + LONGS.loopBound(to - from); i < bound; i += step) {
      LongVector d =
          LongVector.fromArray(LONGS, codes, i)
              .lanewise(VectorOperators.XOR, qv)
              .lanewise(VectorOperators.BIT_COUNT);
      VectorMask<Long> hits = d.compare(VectorOperators.LE, limit);
      if (hits.anyTrue()) {
        for (long m = hits.toLong(); m != 0; m &= m - 1) {
          int j = i + Long.numberOfTrailingZeros(m);
          t.offer(out, j, Long.bitCount(codes[j] ^ q));
        }
        limit = LongVector.broadcast(LONGS, out.limit());
      }
    }
    for (; i < to; i++) {
      t.offer(out, i, Long.bitCount(codes[i] ^ q));
    }
  }

  private static void scan128(
      Target t, long[] lo, long[] hi, long q0, long q1, int from, int to, Collector out) {
    LongVector qv0 = LongVector.broadcast(LONGS, q0);
    LongVector qv1 = LongVector.broadcast(LONGS, q1);
    LongVector limit = LongVector.broadcast(LONGS, out.limit());
    int step = LONGS.length();
    int i = from;
    for (int bound = from + LONGS.loopBound(to - from); i < bound; i += step) {
      LongVector d =
          LongVector.fromArray(LONGS, lo, i)
              .lanewise(VectorOperators.XOR, qv0)
              .lanewise(VectorOperators.BIT_COUNT)
              .add(
                  LongVector.fromArray(LONGS, hi, i)
                      .lanewise(VectorOperators.XOR, qv1)
                      .lanewise(VectorOperators.BIT_COUNT));
      VectorMask<Long> hits = d.compare(VectorOperators.LE, limit);
      if (hits.anyTrue()) {
        for (long m = hits.toLong(); m != 0; m &= m - 1) {
          int j = i + Long.numberOfTrailingZeros(m);
          t.offer(out, j, Long.bitCount(lo[j] ^ q0) + Long.bitCount(hi[j] ^ q1));
        }
        limit = LongVector.broadcast(LONGS, out.limit());
      }
    }
    for (; i < to; i++) {
      t.offer(out, i, Long.bitCount(lo[i] ^ q0) + Long.bitCount(hi[i] ^ q1));
    }
  }

  private static void scanWide(
      Target t, long[][] planes, long[] q, int from, int to, Collector out) {
    int words = planes.length;
    LongVector[] qv = new LongVector[words];
    for (int w = 0; w < words; w++) {
      qv[w] = LongVector.broadcast(LONGS, q[w]);
    }
    LongVector limit = LongVector.broadcast(LONGS, out.limit());
    int step = LONGS.length();
    int i = from;
    for (int bound = from + LONGS.loopBound(to - from); i < bound; i += step) {
      LongVector d =
          LongVector.fromArray(LONGS, planes[0], i)
              .lanewise(VectorOperators.XOR, qv[0])
              .lanewise(VectorOperators.BIT_COUNT);
      for (int w = 1; w < words; w++) {
        d =
            d.add(
                LongVector.fromArray(LONGS, planes[w], i)
                    .lanewise(VectorOperators.XOR, qv[w])
                    .lanewise(VectorOperators.BIT_COUNT));
      }
      VectorMask<Long> hits = d.compare(VectorOperators.LE, limit);
      if (hits.anyTrue()) {
        for (long m = hits.toLong(); m != 0; m &= m - 1) {
          int j = i + Long.numberOfTrailingZeros(m);
          t.offer(out, j, t.segment().distance(j, q));
        }
        limit = LongVector.broadcast(LONGS, out.limit());
      }
    }
    for (; i < to; i++) {
      t.offer(out, i, t.segment().distance(i, q));
    }
  }
}

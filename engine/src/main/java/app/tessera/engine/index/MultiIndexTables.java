package app.tessera.engine.index;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Exact multi-index hashing (Norouzi, Punjani, Fleet, "Fast Exact Search in Hamming Space with
 * Multi-Index Hashing", TPAMI 2014): the code is cut into m disjoint substrings, each indexed by
 * its own table. By the pigeonhole principle a code within distance {@code m·r + j} of the query is
 * within distance r of it in at least one substring, so probing substring radii 0, 1, 2, ... in
 * turn finds every code in order of a certified bound, and the search stops once k results lie
 * within that bound. The tables are compressed rows (positions sorted by substring value plus one
 * offset per value), so a table costs 4 bytes per code plus 4 bytes per substring value.
 *
 * <p>Substrings are about log2(n) bits (capped at 24 bits, so the offsets stay under 64 MiB), which
 * is where the expected bucket holds about one code.
 */
final class MultiIndexTables {
  static final int MAX_SUBSTRING_BITS = 24;

  final int m;
  final int[] start;
  final int[] length;
  final int[][] offsets;
  final int[][] positions;

  /** What recent {@link Strategy#AUTO} searches on these tables cost. */
  final CostModel costModel = new CostModel();

  private MultiIndexTables(int[] start, int[] length, int[][] offsets, int[][] positions) {
    this.m = start.length;
    this.start = start;
    this.length = length;
    this.offsets = offsets;
    this.positions = positions;
  }

  /** Number of substrings for {@code n} codes of {@code bits} bits. */
  static int substringCount(int bits, long n) {
    int target = (int) Math.round(Math.log(Math.max(n, 2)) / Math.log(2));
    target = Math.clamp(target, 1, MAX_SUBSTRING_BITS);
    return Math.clamp((bits + target - 1) / target, 1, bits);
  }

  static MultiIndexTables build(Segment s) {
    int m = substringCount(s.bits, s.size);
    int[] start = new int[m];
    int[] length = new int[m];
    for (int j = 0, at = 0; j < m; j++) {
      length[j] = s.bits / m + (j < s.bits % m ? 1 : 0);
      start[j] = at;
      at += length[j];
    }
    int[][] offsets = new int[m][];
    int[][] positions = new int[m][];
    int[] values = new int[s.size];
    for (int j = 0; j < m; j++) {
      substrings(s, start[j], length[j], values);
      // Counting sort by substring value: stable, so each bucket lists positions in order.
      int[] offset = new int[(1 << length[j]) + 1];
      for (int v : values) {
        offset[v + 1]++;
      }
      for (int v = 1; v < offset.length; v++) {
        offset[v] += offset[v - 1];
      }
      int[] fill = Arrays.copyOf(offset, offset.length - 1);
      int[] position = new int[s.size];
      for (int i = 0; i < values.length; i++) {
        position[fill[values[i]]++] = i;
      }
      offsets[j] = offset;
      positions[j] = position;
    }
    return new MultiIndexTables(start, length, offsets, positions);
  }

  long ramBytes() {
    long bytes = 0;
    for (int j = 0; j < m; j++) {
      bytes += 4L * offsets[j].length + 4L * positions[j].length;
    }
    return bytes;
  }

  /** Substring {@code [start, start + length)} of every code of the segment. */
  private static void substrings(Segment s, int start, int length, int[] out) {
    int w = start >>> 6;
    int shift = start & 63;
    long mask = (1L << length) - 1;
    if (s.planes == null || shift + length <= 64) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (int) ((s.word(i, w) >>> shift) & mask);
      }
    } else {
      long[] low = s.planes[w];
      long[] high = s.planes[w + 1];
      for (int i = 0; i < out.length; i++) {
        out[i] = (int) (((low[i] >>> shift) | (high[i] << (64 - shift))) & mask);
      }
    }
  }

  /** Bits {@code [start, start + length)} of a code in the BinaryCodes layout. */
  static long substring(long[] code, int start, int length) {
    int w = start >>> 6;
    int shift = start & 63;
    long v = code[w] >>> shift;
    if (shift + length > 64) {
      v |= code[w + 1] << (64 - shift);
    }
    return v & ((1L << length) - 1);
  }

  /** Number of set bits of {@code xor} in {@code [start, start + length)}. */
  private static int substringDistance(long[] xor, int start, int length) {
    return Long.bitCount(substring(xor, start, length));
  }

  /** A search budget exhausted: the caller falls back to the scan. */
  static final long[] OVER_BUDGET = new long[0];

  /**
   * The k best keys of the segment, or {@link #OVER_BUDGET} when more than {@code budget} table
   * probes plus candidate checks were needed.
   */
  long[] search(FlatScan.Target t, long[] query, int k, long budget) {
    KeyHeap best = new KeyHeap(k);
    Probe probe = new Probe(t, query);
    int maxLength = length[0];
    for (int r = 0; r <= maxLength; r++) {
      for (int j = 0; j < m; j++) {
        if (r > length[j]) {
          continue;
        }
        if (!probe.visit(j, r, Integer.MAX_VALUE, best, null, budget)) {
          return OVER_BUDGET;
        }
        // Unseen codes are > r in tables 0..j and >= r in the rest: distance >= m·r + j + 1.
        long certified = (long) m * r + j;
        if (r == length[j] || (best.isFull() && Collector.distance(best.max()) <= certified)) {
          return best.sortedKeys();
        }
      }
    }
    return best.sortedKeys();
  }

  /** Every key within {@code radius}, ascending. */
  long[] rangeSearch(FlatScan.Target t, long[] query, int radius) {
    RangeCollector found = new RangeCollector(radius);
    Probe probe = new Probe(t, query);
    int maxRadius = Math.min(radius / m, length[0]);
    for (int r = 0; r <= maxRadius; r++) {
      for (int j = 0; j < m; j++) {
        if (r <= length[j]) {
          probe.visit(j, r, radius, null, found, Long.MAX_VALUE);
        }
      }
    }
    return found.sortedKeys();
  }

  /** One query's probing state. */
  private final class Probe {
    final FlatScan.Target target;
    final Segment segment;
    final long[] query;
    final long[] querySubstrings = new long[m];
    final long[] xor;
    long work;

    Probe(FlatScan.Target target, long[] query) {
      this.target = target;
      this.segment = target.segment();
      this.query = query;
      this.xor = new long[segment.words];
      for (int j = 0; j < m; j++) {
        querySubstrings[j] = substring(query, start[j], length[j]);
      }
    }

    /**
     * Visits every bucket of table j at substring distance r, passing each code seen for the first
     * time to {@code best} (k-NN) or {@code found} (range, distance <= maxDistance). Returns false
     * as soon as the work done exceeds {@code budget}.
     */
    boolean visit(int j, int r, int maxDistance, KeyHeap best, RangeCollector found, long budget) {
      int[] offset = offsets[j];
      int[] position = positions[j];
      long limit = 1L << length[j];
      long mask = (1L << r) - 1;
      while (mask < limit) {
        int value = (int) (querySubstrings[j] ^ mask);
        int from = offset[value];
        int to = offset[value + 1];
        work += 1 + (to - from);
        if (work > budget) {
          return false;
        }
        for (int p = from; p < to; p++) {
          consider(position[p], j, r, maxDistance, best, found);
        }
        if (mask == 0) {
          break;
        }
        long lowest = mask & -mask;
        long ripple = mask + lowest;
        mask = (((ripple ^ mask) >>> 2) / lowest) | ripple;
      }
      return true;
    }

    private void consider(
        int i, int table, int r, int maxDistance, KeyHeap best, RangeCollector found) {
      if (Bits.get(target.deleted(), i)) {
        return;
      }
      for (int w = 0; w < xor.length; w++) {
        xor[w] = segment.word(i, w) ^ query[w];
      }
      // Seen before iff an earlier probe (smaller radius, or same radius and earlier table) hit.
      for (int j = 0; j < m; j++) {
        if (j != table) {
          int dj = substringDistance(xor, start[j], length[j]);
          if (dj < r || (dj == r && j < table)) {
            return;
          }
        }
      }
      int d = 0;
      for (long x : xor) {
        d += Long.bitCount(x);
      }
      long key = Collector.key(d, target.base() + i);
      LongPredicate filter = target.filter();
      if (best != null) {
        if (best.accepts(key) && (filter == null || filter.test(segment.ids[i]))) {
          best.offer(key);
        }
      } else if (d <= maxDistance && (filter == null || filter.test(segment.ids[i]))) {
        found.offer(d, target.base() + i);
      }
    }
  }
}

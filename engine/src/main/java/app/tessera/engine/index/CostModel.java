package app.tessera.engine.index;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Decides, per segment and query, whether multi-index hashing should be tried before the scan
 * ({@link Strategy#AUTO}). Its cost depends on how far the k-th neighbour is, which no formula in
 * n, bits and k knows in advance (uniform codes have no near neighbours; real codes have many), so
 * the model combines a prior with what the segment's recent queries showed:
 *
 * <ul>
 *   <li>prior: tables exist only from {@link IndexOptions#multiIndexMinSize()} codes; no filter
 *       (its selectivity would widen the probing); k at most n/1024;
 *   <li>budget: a search may spend table probes and candidate checks worth about one scan of the
 *       segment on all threads, then stops and the segment is scanned (so a wrong guess costs at
 *       most about two scans, and is remembered);
 *   <li>memory: per segment and decade of k, searches that ran over budget make the model skip the
 *       tables, retrying one query in 16 so it notices when the queries change.
 * </ul>
 */
final class CostModel {
  /**
   * Codes one scan thread streams through in the time of one table probe or candidate check (a
   * random memory access): measured about 100-300 ns against 0.5-1 ns per code per thread.
   */
  static final int SCAN_CODES_PER_PROBE = 256;

  private static final int K_CLASSES = 4;
  private static final int MAX_MISSES = 4;

  private final AtomicIntegerArray misses = new AtomicIntegerArray(K_CLASSES);
  private final AtomicIntegerArray queries = new AtomicIntegerArray(K_CLASSES);

  /** Whether to try the tables; returns the work budget, or -1 to scan right away. */
  long budget(Segment segment, int k, boolean filtered, int threads) {
    if (filtered || k > segment.size / 1024) {
      return -1;
    }
    int c = kClass(k);
    if (misses.get(c) >= 2 && (queries.incrementAndGet(c) & 15) != 0) {
      return -1;
    }
    return Math.max(1, (long) segment.size * segment.words / threads / SCAN_CODES_PER_PROBE);
  }

  /** Records whether a tried search stayed within its budget. */
  void record(int k, boolean withinBudget) {
    int c = kClass(k);
    if (withinBudget) {
      misses.getAndUpdate(c, m -> Math.max(0, m - 1));
    } else {
      misses.getAndUpdate(c, m -> Math.min(MAX_MISSES, m + 1));
    }
  }

  private static int kClass(int k) {
    return k <= 1 ? 0 : k <= 10 ? 1 : k <= 100 ? 2 : 3;
  }
}

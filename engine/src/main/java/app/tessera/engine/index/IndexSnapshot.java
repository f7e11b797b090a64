package app.tessera.engine.index;

import app.tessera.engine.code.BinaryCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * A point-in-time view of a {@link HammingIndex}: immutable, thread-safe, and unaffected by any
 * later add or remove (like a Lucene reader). Publishing one shares every unchanged segment and
 * deletion set with the previous snapshot, so it costs nothing like a copy of the codes.
 */
public final class IndexSnapshot implements HammingSearcher {
  /** Fewest codes worth handing to another thread (about 2 MiB of 64-bit codes). */
  private static final int MIN_PARTITION = 1 << 18;

  private final int bits;
  private final int words;
  private final Segment[] segments;
  private final long[][] deleted;
  private final long[] starts;
  private final long size;
  private final long generation;
  private final IndexOptions options;

  IndexSnapshot(
      int bits, Segment[] segments, long[][] deleted, long generation, IndexOptions options) {
    this.bits = bits;
    this.words = BinaryCodes.wordsPerCode(bits);
    this.segments = segments;
    this.deleted = deleted;
    this.generation = generation;
    this.options = options;
    this.starts = new long[segments.length];
    long at = 0;
    long live = 0;
    for (int s = 0; s < segments.length; s++) {
      starts[s] = at;
      at += segments[s].size;
      live += segments[s].size - Bits.count(deleted[s]);
    }
    if (at >= 1L << Collector.ORDINAL_BITS) {
      throw new IllegalStateException("an index holds at most 2^40 codes");
    }
    this.size = live;
  }

  @Override
  public int bits() {
    return bits;
  }

  @Override
  public long size() {
    return size;
  }

  /** Increases with every published change; equal generations mean equal contents. */
  public long generation() {
    return generation;
  }

  /** Number of segments (runs of codes added together, merged as they accumulate). */
  public int segmentCount() {
    return segments.length;
  }

  /** Number of segments whose multi-index hashing tables are built. */
  public int multiIndexSegmentCount() {
    int n = 0;
    for (Segment s : segments) {
      n += s.tables == null ? 0 : 1;
    }
    return n;
  }

  /** The options searches on this snapshot use. */
  public IndexOptions options() {
    return options;
  }

  /** The same contents searched with another strategy (shares everything). */
  public IndexSnapshot withStrategy(Strategy strategy) {
    return new IndexSnapshot(bits, segments, deleted, generation, options.withStrategy(strategy));
  }

  /** Heap bytes held by codes, ids, multi-index tables and deletion sets. */
  public long ramBytes() {
    long bytes = 0;
    for (int s = 0; s < segments.length; s++) {
      bytes += segments[s].ramBytes() + (deleted[s] == null ? 0 : 8L * deleted[s].length);
    }
    return bytes;
  }

  /**
   * The code stored under {@code id} (the latest added, if the id repeats), like FAISS's {@code
   * reconstruct}; empty when no live code has that id. A scan of the ids of the segments whose id
   * range holds it: for a single lookup ("more like this"), not for bulk reads.
   */
  public Optional<long[]> code(long id) {
    for (int s = segments.length - 1; s >= 0; s--) {
      Segment segment = segments[s];
      if (id < segment.minId || id > segment.maxId) {
        continue;
      }
      for (int i = segment.size - 1; i >= 0; i--) {
        if (segment.ids[i] == id && !Bits.get(deleted[s], i)) {
          long[] code = new long[words];
          for (int w = 0; w < words; w++) {
            code[w] = segment.word(i, w);
          }
          return Optional.of(code);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Neighbors search(long[] query, int k, LongPredicate filter) {
    checkQuery(query);
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    List<long[]> parts = new ArrayList<>();
    List<Integer> scanned = new ArrayList<>();
    for (int s = 0; s < segments.length; s++) {
      long[] keys = k == 0 ? null : multiIndexSearch(s, query, k, filter);
      if (keys == null) {
        scanned.add(s);
      } else {
        parts.add(keys);
      }
    }
    if (k > 0) {
      parts.addAll(scan(scanned, query, filter, () -> new TopK(k, bits)));
    }
    return toNeighbors(merge(parts, k), k);
  }

  @Override
  public Neighbors rangeSearch(long[] query, int radius, LongPredicate filter) {
    checkQuery(query);
    if (radius < 0) {
      throw new IllegalArgumentException("radius must be >= 0, got " + radius);
    }
    List<long[]> parts = new ArrayList<>();
    List<Integer> scanned = new ArrayList<>();
    for (int s = 0; s < segments.length; s++) {
      Segment segment = segments[s];
      if (options.strategy() == Strategy.MULTI_INDEX && segment.tables != null) {
        parts.add(segment.tables.rangeSearch(target(s, filter), query, radius));
      } else {
        scanned.add(s);
      }
    }
    parts.addAll(scan(scanned, query, filter, () -> new RangeCollector(radius)));
    long[] keys = merge(parts, Integer.MAX_VALUE);
    return toNeighbors(keys, keys.length);
  }

  /** Multi-index hashing on segment s when the strategy and cost model want it, else null. */
  private long[] multiIndexSearch(int s, long[] query, int k, LongPredicate filter) {
    Segment segment = segments[s];
    if (segment.tables == null || options.strategy() == Strategy.SCAN) {
      return null;
    }
    long budget = Long.MAX_VALUE;
    CostModel model = segment.tables.costModel;
    if (options.strategy() == Strategy.AUTO) {
      int threads = Math.min(options.threads(), ScanPool.parallelism());
      budget = model.budget(segment, k, filter != null, threads);
      if (budget < 0) {
        return null;
      }
    }
    long[] keys = segment.tables.search(target(s, filter), query, k, budget);
    if (options.strategy() == Strategy.AUTO) {
      model.record(k, keys != MultiIndexTables.OVER_BUDGET);
    }
    return keys == MultiIndexTables.OVER_BUDGET ? null : keys;
  }

  private FlatScan.Target target(int s, LongPredicate filter) {
    return new FlatScan.Target(segments[s], deleted[s], starts[s], filter);
  }

  /** Scans the given segments in parallel partitions; one sorted key array per partition. */
  private List<long[]> scan(
      List<Integer> scanned, long[] query, LongPredicate filter, Supplier<Collector> collectors) {
    long total = 0;
    for (int s : scanned) {
      total += segments[s].size;
    }
    if (total == 0) {
      return List.of();
    }
    int partitions =
        (int)
            Math.clamp(
                total / MIN_PARTITION, 1, Math.min(options.threads(), ScanPool.parallelism()));
    long perPartition = (total + partitions - 1) / partitions;
    List<Supplier<long[]>> tasks = new ArrayList<>(partitions);
    List<int[]> ranges = new ArrayList<>(); // {segment, from, to}
    long filled = 0;
    for (int s : scanned) {
      int from = 0;
      while (from < segments[s].size) {
        int to = (int) Math.min(segments[s].size, from + (perPartition - filled));
        ranges.add(new int[] {s, from, to});
        filled += to - from;
        from = to;
        if (filled == perPartition) {
          tasks.add(partitionTask(List.copyOf(ranges), query, filter, collectors));
          ranges.clear();
          filled = 0;
        }
      }
    }
    if (!ranges.isEmpty()) {
      tasks.add(partitionTask(List.copyOf(ranges), query, filter, collectors));
    }
    return tasks.size() == 1 ? List.of(tasks.getFirst().get()) : ScanPool.run(tasks);
  }

  private Supplier<long[]> partitionTask(
      List<int[]> ranges, long[] query, LongPredicate filter, Supplier<Collector> collectors) {
    return () -> {
      Collector out = collectors.get();
      for (int[] range : ranges) {
        FlatScan.scan(target(range[0], filter), query, range[1], range[2], out);
      }
      return out instanceof TopK top ? top.sortedKeys() : ((RangeCollector) out).sortedKeys();
    };
  }

  private static long[] merge(List<long[]> parts, int k) {
    if (parts.size() == 1) {
      long[] only = parts.getFirst();
      return only.length <= k ? only : Arrays.copyOf(only, k);
    }
    int total = 0;
    for (long[] p : parts) {
      total += p.length;
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    Arrays.sort(all);
    return all.length <= k ? all : Arrays.copyOf(all, k);
  }

  private Neighbors toNeighbors(long[] keys, int rows) {
    long[] ids = new long[rows];
    int[] distances = new int[rows];
    Arrays.fill(ids, -1L);
    Arrays.fill(distances, Integer.MAX_VALUE);
    for (int i = 0; i < keys.length; i++) {
      long ordinal = Collector.ordinal(keys[i]);
      int s = Arrays.binarySearch(starts, ordinal);
      if (s < 0) {
        s = -s - 2;
      }
      while (s + 1 < starts.length && starts[s + 1] == ordinal) {
        s++; // skip empty segments starting at the same ordinal
      }
      ids[i] = segments[s].ids[(int) (ordinal - starts[s])];
      distances[i] = Collector.distance(keys[i]);
    }
    return new Neighbors(ids, distances, keys.length);
  }

  private void checkQuery(long[] query) {
    if (query == null || query.length != words) {
      throw new IllegalArgumentException(
          "a "
              + bits
              + "-bit query is "
              + words
              + " longs, got "
              + (query == null ? "null" : query.length));
    }
    HammingIndex.checkUnusedBits(query, 0, bits, "query");
  }

  Segment[] segments() {
    return segments;
  }

  long[][] deleted() {
    return deleted;
  }
}

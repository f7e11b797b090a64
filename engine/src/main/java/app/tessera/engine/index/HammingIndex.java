package app.tessera.engine.index;

import app.tessera.engine.code.BinaryCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * An exact Hamming-distance index over packed binary codes, shaped like FAISS's {@code IndexBinary}
 * ({@code add}, {@code remove}, {@code search}, {@code rangeSearch}) and updated like a Lucene
 * index: every change is published atomically as a new immutable {@link IndexSnapshot}, and
 * searches run on snapshots, so they never wait for the writer and never see half a batch.
 *
 * <p>Codes use the {@link BinaryCodes} layout (any length; 16, 32, 64 and 128 bits have their own
 * scan kernels). They are stored column-wise in segments: each {@code add} appends one segment, and
 * small trailing segments are merged (in order, dropping removed codes) so there are about log(n)
 * of them. Segments of at least {@link IndexOptions#multiIndexMinSize()} codes also get multi-index
 * hashing tables, used where they beat the scan ({@link Strategy#AUTO}).
 *
 * <p>Ids are any non-negative longs chosen by the caller (-1 pads short results, as in FAISS); ids
 * are not checked for uniqueness, and {@link #remove} removes every code with a given id. Writes
 * are serialised; reads are lock-free.
 *
 * <pre>{@code
 * HammingIndex index = new HammingIndex(64);
 * index.add(ids, codes);
 * Neighbors top = index.search(query, 100);
 * }</pre>
 */
public final class HammingIndex implements HammingSearcher {
  private final int bits;
  private final int words;
  private final IndexOptions options;
  private volatile IndexSnapshot current;

  /** An empty index of {@code bits}-bit codes with {@link IndexOptions#defaults()}. */
  public HammingIndex(int bits) {
    this(bits, IndexOptions.defaults());
  }

  /** Longest code accepted (distances must fit the ranking key). */
  public static final int MAX_BITS = 1 << 16;

  public HammingIndex(int bits, IndexOptions options) {
    if (bits > MAX_BITS) {
      throw new IllegalArgumentException("codes of at most " + MAX_BITS + " bits, got " + bits);
    }
    this.words = BinaryCodes.wordsPerCode(bits);
    this.bits = bits;
    this.options = options;
    this.current = new IndexSnapshot(bits, new Segment[0], new long[0][], 0, options);
  }

  @Override
  public int bits() {
    return bits;
  }

  @Override
  public long size() {
    return current.size();
  }

  /** The latest published state; stays valid and unchanged however the index changes later. */
  public IndexSnapshot snapshot() {
    return current;
  }

  @Override
  public Neighbors search(long[] query, int k, LongPredicate filter) {
    return current.search(query, k, filter);
  }

  @Override
  public Neighbors rangeSearch(long[] query, int radius, LongPredicate filter) {
    return current.rangeSearch(query, radius, filter);
  }

  /** Adds {@code ids.length} codes ({@code ids.length * wordsPerCode} longs) as one batch. */
  public void add(long[] ids, long[] codes) {
    update(batch -> batch.add(ids, codes));
  }

  /** Removes every code with one of these ids as one batch; returns how many were removed. */
  public int remove(long[] ids) {
    int[] removed = new int[1];
    update(batch -> removed[0] = batch.remove(ids));
    return removed[0];
  }

  /**
   * Applies a batch of adds and removes, in order, and publishes the result as one snapshot:
   * concurrent searches see all of the batch or none of it. If {@code edits} throws, nothing is
   * published.
   */
  public synchronized IndexSnapshot update(Consumer<Batch> edits) {
    Batch batch = new Batch(current);
    edits.accept(batch);
    if (batch.changed) {
      current = batch.publish();
      for (Segment segment : batch.awaitingTables) {
        TABLE_BUILDER.execute(() -> installTables(segment, segment.withTables()));
      }
    }
    return current;
  }

  /**
   * Builds multi-index tables off the writer's path ({@link IndexOptions#tablesInBackground}).
   * Package-private so a test can hold it busy and observe the snapshots from before the tables.
   */
  static final ExecutorService TABLE_BUILDER =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("tessera-index-tables").daemon().factory());

  /** Publishes {@code tabled} in place of {@code plain}, unless a merge has replaced it since. */
  private synchronized void installTables(Segment plain, Segment tabled) {
    Segment[] segments = current.segments();
    for (int s = 0; s < segments.length; s++) {
      if (segments[s] == plain) {
        Segment[] replaced = segments.clone();
        replaced[s] = tabled;
        current =
            new IndexSnapshot(
                bits, replaced, current.deleted().clone(), current.generation() + 1, options);
        return;
      }
    }
  }

  /** Throws when a code has bits set past its length (they would distort distances). */
  static void checkUnusedBits(long[] codes, int code, int bits, String what) {
    int words = BinaryCodes.wordsPerCode(bits);
    int used = bits - 64 * (words - 1);
    if (used < 64 && (codes[code * words + words - 1] >>> used) != 0) {
      throw new IllegalArgumentException(
          what + " has bits set beyond its " + bits + " bits (BinaryCodes keeps them clear)");
    }
  }

  /** A set of changes published together by {@link #update}. Not thread-safe. */
  public final class Batch {
    private final List<Segment> segments;
    private final List<long[]> deleted;
    private final boolean[] ownedDeletions;
    private final long generation;
    private int firstNew;
    private boolean changed;
    private final List<Segment> awaitingTables = new ArrayList<>();

    private Batch(IndexSnapshot base) {
      this.segments = new ArrayList<>(Arrays.asList(base.segments()));
      this.deleted = new ArrayList<>(Arrays.asList(base.deleted()));
      this.ownedDeletions = new boolean[base.segments().length];
      this.generation = base.generation();
      this.firstNew = segments.size();
    }

    /** Adds codes; see {@link HammingIndex#add}. */
    public Batch add(long[] ids, long[] codes) {
      if (ids.length == 0 && codes.length == 0) {
        return this;
      }
      if ((long) ids.length * words != codes.length) {
        throw new IllegalArgumentException(
            ids.length
                + " ids need "
                + (long) ids.length * words
                + " longs of "
                + bits
                + "-bit codes, got "
                + codes.length);
      }
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] < 0) {
          throw new IllegalArgumentException("ids must be >= 0, got " + ids[i] + " at " + i);
        }
        checkUnusedBits(codes, i, bits, "code " + i);
      }
      segments.add(Segment.of(bits, ids, 0, codes, 0, ids.length, false));
      deleted.add(null);
      changed = true;
      return this;
    }

    /** Removes every code with one of these ids; returns how many were removed. */
    public int remove(long[] ids) {
      if (ids.length == 0) {
        return 0;
      }
      IdSet set = new IdSet(ids);
      int removed = 0;
      for (int s = 0; s < segments.size(); s++) {
        Segment segment = segments.get(s);
        if (segment.maxId < set.min || segment.minId > set.max) {
          continue;
        }
        long[] del = deleted.get(s);
        for (int i = 0; i < segment.size; i++) {
          if (set.contains(segment.ids[i]) && !Bits.get(del, i)) {
            if (!owns(s)) {
              del = Bits.copyOrNew(del, segment.size);
              deleted.set(s, del);
              markOwned(s);
            }
            Bits.set(del, i);
            removed++;
          }
        }
      }
      changed |= removed > 0;
      return removed;
    }

    private boolean owns(int s) {
      return s >= ownedDeletions.length || ownedDeletions[s];
    }

    private void markOwned(int s) {
      if (s < ownedDeletions.length) {
        ownedDeletions[s] = true;
      }
    }

    /**
     * Merges trailing segments while the last holds at least half as many live codes as the one
     * before (so about log2(n) segments remain, each code copied O(log n) times), rewrites segments
     * that are mostly removed codes, and builds multi-index tables for new large segments.
     */
    private IndexSnapshot publish() {
      List<Segment> out = new ArrayList<>();
      List<long[]> outDeleted = new ArrayList<>();
      List<Boolean> fresh = new ArrayList<>();
      for (int s = 0; s < segments.size(); s++) {
        Segment seg = segments.get(s);
        long[] del = deleted.get(s);
        int live = seg.size - Bits.count(del);
        if (live == 0) {
          continue;
        }
        boolean isNew = s >= firstNew;
        if (live < seg.size / 2) {
          seg = Segment.merge(bits, new Segment[] {seg}, new long[][] {del}, false);
          del = null;
          isNew = true;
        }
        out.add(seg);
        outDeleted.add(del);
        fresh.add(isNew);
        while (out.size() >= 2 && shouldMerge(out, outDeleted)) {
          int last = out.size() - 1;
          Segment merged =
              Segment.merge(
                  bits,
                  new Segment[] {out.get(last - 1), out.get(last)},
                  new long[][] {outDeleted.get(last - 1), outDeleted.get(last)},
                  false);
          for (int r = 0; r < 2; r++) {
            out.removeLast();
            outDeleted.removeLast();
            fresh.removeLast();
          }
          out.add(merged);
          outDeleted.add(null);
          fresh.add(true);
        }
      }
      for (int s = 0; s < out.size(); s++) {
        Segment seg = out.get(s);
        if (fresh.get(s) && seg.tables == null && options.wantsTables(seg.size)) {
          if (options.tablesInBackground()) {
            awaitingTables.add(seg);
          } else {
            out.set(s, seg.withTables());
          }
        }
      }
      return new IndexSnapshot(
          bits,
          out.toArray(Segment[]::new),
          outDeleted.toArray(long[][]::new),
          generation + 1,
          options);
    }

    private static boolean shouldMerge(List<Segment> out, List<long[]> deleted) {
      int last = out.size() - 1;
      long lastLive = out.get(last).size - Bits.count(deleted.get(last));
      long prevLive = out.get(last - 1).size - Bits.count(deleted.get(last - 1));
      return 2 * lastLive >= prevLive;
    }
  }

  /** A read-only open-addressing set of the ids of one remove call. */
  private static final class IdSet {
    final long[] slots;
    final int shift;
    final boolean hasZero;
    final long min;
    final long max;

    IdSet(long[] ids) {
      int capacity = Integer.highestOneBit(Math.max(4, ids.length * 2) - 1) << 1;
      slots = new long[capacity];
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
      boolean zero = false;
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (long id : ids) {
        lo = Math.min(lo, id);
        hi = Math.max(hi, id);
        if (id == 0) {
          zero = true;
          continue;
        }
        int i = slot(id);
        while (slots[i] != 0 && slots[i] != id) {
          i = (i + 1) & (slots.length - 1);
        }
        slots[i] = id;
      }
      hasZero = zero;
      min = lo;
      max = hi;
    }

    private int slot(long id) {
      return (int) ((id * 0x9E3779B97F4A7C15L) >>> shift);
    }

    boolean contains(long id) {
      if (id == 0) {
        return hasZero;
      }
      if (id < min || id > max) {
        return false;
      }
      for (int i = slot(id); slots[i] != 0; i = (i + 1) & (slots.length - 1)) {
        if (slots[i] == id) {
          return true;
        }
      }
      return false;
    }
  }
}

package app.tessera.engine.index;

/**
 * Tuning of a {@link HammingIndex}.
 *
 * @param strategy how k-NN queries are answered (all strategies give identical results)
 * @param multiIndexMinSize segments with at least this many codes get multi-index hashing tables (4
 *     bytes per code per substring); 0 disables the tables
 * @param threads most threads one query scans with (the caller plus pool threads)
 * @param tablesInBackground build multi-index tables on a background thread and publish them when
 *     ready (searches scan meanwhile), so adding millions of codes at start-up stays a copy; false
 *     builds them inside the update that adds the codes
 */
public record IndexOptions(
    Strategy strategy, int multiIndexMinSize, int threads, boolean tablesInBackground) {
  /**
   * Segments from this size get tables: {@code tessera bench search} measured the crossover of
   * multi-index hashing and the scan between 250k and 1M clustered 64-bit codes (k = 10), with
   * multi-index 8x faster at 3M; uniform codes never cross, which {@link Strategy#AUTO} notices.
   */
  public static final int DEFAULT_MULTI_INDEX_MIN_SIZE = 2 << 20;

  public IndexOptions {
    if (strategy == null) {
      throw new IllegalArgumentException("strategy must not be null");
    }
    if (multiIndexMinSize < 0 || threads < 1) {
      throw new IllegalArgumentException(
          "need multiIndexMinSize >= 0 and threads >= 1, got "
              + multiIndexMinSize
              + " and "
              + threads);
    }
  }

  /** Automatic strategy, tables from 2M codes built in the background, one thread per core. */
  public static IndexOptions defaults() {
    return new IndexOptions(
        Strategy.AUTO,
        DEFAULT_MULTI_INDEX_MIN_SIZE,
        Runtime.getRuntime().availableProcessors(),
        true);
  }

  public IndexOptions withStrategy(Strategy s) {
    return new IndexOptions(s, multiIndexMinSize, threads, tablesInBackground);
  }

  public IndexOptions withMultiIndexMinSize(int size) {
    return new IndexOptions(strategy, size, threads, tablesInBackground);
  }

  public IndexOptions withThreads(int n) {
    return new IndexOptions(strategy, multiIndexMinSize, n, tablesInBackground);
  }

  public IndexOptions withTablesInBackground(boolean background) {
    return new IndexOptions(strategy, multiIndexMinSize, threads, background);
  }

  boolean wantsTables(int segmentSize) {
    return multiIndexMinSize > 0 && segmentSize >= multiIndexMinSize;
  }
}

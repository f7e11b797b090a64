package app.tessera.engine.index;

/**
 * How a snapshot answers a query. Every strategy returns the same, exact results. Range searches
 * scan, except under {@link #MULTI_INDEX}.
 */
public enum Strategy {
  /**
   * Multi-index hashing on segments that have tables, where the cost model expects it to beat the
   * scan; the scan everywhere else. A multi-index search that turns out costlier than the scan
   * stops early and the segment is scanned instead.
   */
  AUTO,
  /** The exact vectorised scan only. */
  SCAN,
  /** Multi-index hashing on every segment that has tables, whatever it costs. */
  MULTI_INDEX
}

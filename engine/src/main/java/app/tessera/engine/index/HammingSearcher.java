package app.tessera.engine.index;

import java.util.function.LongPredicate;

/**
 * Exact search over binary codes by Hamming distance. Queries are one code in the {@link
 * app.tessera.engine.code.BinaryCodes} layout. Results are exact whatever the strategy: ascending
 * distance, ties broken by insertion order.
 */
public interface HammingSearcher {
  /** Code length in bits. */
  int bits();

  /** Number of live (not removed) codes. */
  long size();

  /** The k nearest codes; see {@link Neighbors} for the padding when fewer exist. */
  default Neighbors search(long[] query, int k) {
    return search(query, k, null);
  }

  /**
   * The k nearest codes whose id passes {@code filter} (null: all). The filter is applied inside
   * the search, so the result is the exact top-k of the filtered set.
   */
  Neighbors search(long[] query, int k, LongPredicate filter);

  /** Every code within Hamming distance {@code radius}, best first. */
  default Neighbors rangeSearch(long[] query, int radius) {
    return rangeSearch(query, radius, null);
  }

  /** Every code within {@code radius} whose id passes {@code filter} (null: all), best first. */
  Neighbors rangeSearch(long[] query, int radius, LongPredicate filter);
}

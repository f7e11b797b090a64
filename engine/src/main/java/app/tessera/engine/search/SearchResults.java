package app.tessera.engine.search;

import java.time.Duration;
import java.util.List;

/**
 * The results of one query, best first.
 *
 * @param reranked whether the order comes from float features rather than Hamming distance
 * @param elapsed time from the call to the results, encoding included
 */
public record SearchResults(List<SearchHit> hits, boolean reranked, Duration elapsed) {
  public SearchResults {
    hits = List.copyOf(hits);
  }
}

package app.tessera.engine.search;

import java.nio.file.Path;
import java.util.Set;

/**
 * One result.
 *
 * @param itemId the image (for caption results: the image the caption belongs to)
 * @param captionId the caption for caption results, else -1
 * @param path the image file
 * @param caption the matched caption (caption results) or the image's first caption, or null
 * @param distance Hamming distance between the query code and the result's code (-1: the result has
 *     no code, found by its caption's words only)
 * @param score 0-1, higher is better: {@code 1 - distance / bits}, or {@code (1 + cosine) / 2}
 *     after re-ranking, or the fused rankings' share of the best possible reciprocal-rank score
 * @param reasons why it matched (not empty)
 */
public record SearchHit(
    long itemId,
    long captionId,
    Path path,
    String caption,
    int distance,
    double score,
    Set<MatchReason> reasons) {
  public SearchHit {
    reasons = Set.copyOf(reasons);
  }
}

package app.tessera.desktop.search;

import java.nio.file.Path;
import java.util.List;

/**
 * One result as the UI shows it: an image (thumbnail bytes, may be null) or a caption, with its
 * Hamming distance (-1: found by its caption's words only), a 0-1 score and why it matched, in
 * words ("caption words", "caption meaning", "image").
 */
public record ResultCard(
    long itemId,
    Path path,
    String caption,
    byte[] thumbnail,
    int distance,
    double score,
    List<String> matched) {
  public ResultCard {
    matched = List.copyOf(matched);
  }

  /** A result found by its code alone. */
  public ResultCard(
      long itemId, Path path, String caption, byte[] thumbnail, int distance, double score) {
    this(itemId, path, caption, thumbnail, distance, score, List.of());
  }
}

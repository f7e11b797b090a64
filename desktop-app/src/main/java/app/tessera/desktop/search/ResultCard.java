package app.tessera.desktop.search;

import java.nio.file.Path;

/**
 * One result as the UI shows it: an image, or a caption with its image; its Hamming distance, a 0-1
 * score and why it matched. Thumbnails are not here: cells load them lazily, a page at a time.
 *
 * @param captionId the caption for a caption result, else -1
 * @param caption the matched caption, or the image's first caption, or null
 * @param why one line saying why it matched (shown under the score and as a tooltip)
 */
public record ResultCard(
    long itemId,
    long captionId,
    Path path,
    String caption,
    int distance,
    double score,
    String why) {

  /** An image result (no caption of its own). */
  public static ResultCard image(
      long itemId, Path path, String caption, int distance, double score, String why) {
    return new ResultCard(itemId, -1, path, caption, distance, score, why);
  }

  public boolean isCaption() {
    return captionId >= 0;
  }

  /** The file name, or the path when it has none. */
  public String fileName() {
    if (path == null) {
      return "";
    }
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }
}

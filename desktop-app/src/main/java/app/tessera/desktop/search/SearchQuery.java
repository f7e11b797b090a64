package app.tessera.desktop.search;

import java.nio.file.Path;

/**
 * What the user asked for: text, an image (a file dropped or chosen), or both; and whether to
 * return images or captions. The four directions of the engine follow from these.
 */
public record SearchQuery(String text, Path image, Target target, int top) {
  /** What the results are. */
  public enum Target {
    IMAGES,
    CAPTIONS
  }

  public boolean hasText() {
    return text != null && !text.isBlank();
  }

  public boolean hasImage() {
    return image != null;
  }
}

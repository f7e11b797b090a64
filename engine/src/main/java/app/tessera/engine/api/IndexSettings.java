package app.tessera.engine.api;

/**
 * How to index folders.
 *
 * @param threads decoding threads
 * @param labelsFromFolders label each image with the name of the folder it is in
 */
public record IndexSettings(int threads, boolean labelsFromFolders) {
  public IndexSettings {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive");
    }
  }

  /** Every core, no folder labels. */
  public static IndexSettings defaults() {
    return new IndexSettings(Runtime.getRuntime().availableProcessors(), false);
  }
}

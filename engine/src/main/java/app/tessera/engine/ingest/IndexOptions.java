package app.tessera.engine.ingest;

/**
 * How to index.
 *
 * @param threads decoding threads (default: all cores)
 * @param labelsFromFolders label each image with the name of the folder it is in
 * @param sizes thumbnail and model-input sizes and the decode memory budget
 */
public record IndexOptions(int threads, boolean labelsFromFolders, ImageDecoder.Sizes sizes) {
  public IndexOptions {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive");
    }
  }

  public static IndexOptions defaults() {
    return new IndexOptions(
        Runtime.getRuntime().availableProcessors(), false, ImageDecoder.Sizes.DEFAULT);
  }

  public IndexOptions withThreads(int n) {
    return new IndexOptions(n, labelsFromFolders, sizes);
  }

  public IndexOptions withLabelsFromFolders(boolean on) {
    return new IndexOptions(threads, on, sizes);
  }
}

package app.tessera.engine.ingest;

/**
 * How to ingest folders (see {@link Indexer}); not to be confused with the Hamming index's {@code
 * index.IndexOptions}.
 *
 * @param threads decoding threads (default: all cores)
 * @param labelsFromFolders label each image with the name of the folder it is in
 * @param sizes thumbnail and model-input sizes and the decode memory budget
 * @param batch files per transaction at most (default 512; a transaction also ends after 250 ms).
 *     Every commit writes each page it touched to the WAL once, and new content lands on random
 *     pages of the fingerprint index: with many small files per commit those writes are shared,
 *     with few they cost the single writer more than the rows. A killed run loses at most one
 *     batch, which the next run redoes.
 */
public record IngestOptions(
    int threads, boolean labelsFromFolders, ImageDecoder.Sizes sizes, int batch) {
  public IngestOptions {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive");
    }
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive");
    }
  }

  public static IngestOptions defaults() {
    return new IngestOptions(
        Runtime.getRuntime().availableProcessors(), false, ImageDecoder.Sizes.DEFAULT, 512);
  }

  public IngestOptions withThreads(int n) {
    return new IngestOptions(n, labelsFromFolders, sizes, batch);
  }

  public IngestOptions withLabelsFromFolders(boolean on) {
    return new IngestOptions(threads, on, sizes, batch);
  }

  public IngestOptions withBatch(int files) {
    return new IngestOptions(threads, labelsFromFolders, sizes, files);
  }
}

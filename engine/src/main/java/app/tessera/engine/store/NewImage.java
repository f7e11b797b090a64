package app.tessera.engine.store;

/** An image seen for the first time and the file it was read from. */
public record NewImage(FileFacts file, ImageContent content) {
  /** The ids the catalogue gave a new image: its item and its file row. */
  public record Ids(long itemId, long fileId) {}
}

package app.tessera.engine.ingest;

/**
 * The result of reading one file, applied by the writer: its fingerprint, its decoded pixels (only
 * for content not seen before), its captions and labels, or why it failed.
 */
record Outcome(
    Task task,
    String fingerprint,
    ImageDecoder.Decoded decoded,
    Extracted extracted,
    String failure) {
  static Outcome failed(Task task, String failure) {
    return new Outcome(task, null, null, null, failure);
  }
}

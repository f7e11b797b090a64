package app.tessera.engine.ingest;

import java.util.List;

/**
 * The outcome of an indexing run (counts are files).
 *
 * @param added new files (new content, or a copy of known content)
 * @param updated files re-read because their content or their sidecars changed
 * @param moved known content found at a new path (codes, captions and labels kept)
 * @param unchanged files skipped without being read (same path, size and mtime)
 * @param missing files that vanished from an online root (kept until {@code tessera prune})
 * @param offline files of roots that are absent (unplugged drive, unmounted share)
 * @param failed files and folders that could not be indexed, listed in {@code failures}
 * @param seconds wall-clock time of the run
 * @param cancelled whether the run was cancelled before it finished
 */
public record IndexReport(
    int added,
    int updated,
    int moved,
    int unchanged,
    int missing,
    int offline,
    int failed,
    List<Failure> failures,
    double seconds,
    boolean cancelled) {

  /** A file or folder that could not be indexed, and why. */
  public record Failure(String path, String reason) {}
}

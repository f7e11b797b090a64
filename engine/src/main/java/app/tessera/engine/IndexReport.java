package app.tessera.engine;

import java.util.List;
import java.util.Locale;

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

  public IndexReport {
    failures = List.copyOf(failures);
  }

  /** A file or folder that could not be indexed, and why. */
  public record Failure(String path, String reason) {}

  /**
   * The report in one line, e.g. {@code "Indexed in 1.2 s: 3 added, 0 updated, ..."}: what the CLI
   * prints and the window shows.
   */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%s in %.1f s: %d added, %d updated, %d moved, %d unchanged, %d missing, %d offline,"
            + " %d failed",
        cancelled ? "Cancelled" : "Indexed",
        seconds,
        added,
        updated,
        moved,
        unchanged,
        missing,
        offline,
        failed);
  }
}

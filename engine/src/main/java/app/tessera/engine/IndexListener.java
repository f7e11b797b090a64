package app.tessera.engine;

import java.nio.file.Path;

/**
 * Progress of an indexing run, for a progress bar or a window. Called from the thread that runs the
 * index, except {@link #decoded}, which decoding threads call; a window hops to its own thread
 * ({@code Platform.runLater}). All methods are optional.
 */
public interface IndexListener {
  /** The stages of a run, reported to {@link #phase}. */
  enum Phase {
    SCANNING,
    PROCESSING,
    DONE
  }

  /** The run entered a phase: scanning folders, then processing {@code total} changed files. */
  default void phase(Phase phase, int total) {}

  /** {@code done} of {@code total} files processed in the current phase. */
  default void progress(int done, int total) {}

  /** A file or folder could not be indexed. */
  default void failed(String path, String reason) {}

  /**
   * A file's pixels were decoded (once per new or changed content); called on a decoding thread.
   */
  default void decoded(Path file) {}

  IndexListener NONE = new IndexListener() {};
}

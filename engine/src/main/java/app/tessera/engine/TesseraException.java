package app.tessera.engine;

import java.nio.file.Path;

/**
 * A failure the engine can name: its {@link Kind} says what class of problem it is, so that every
 * front end handles it the same way (the command line maps it to an exit code, the window to a
 * notification), and its message is one line that names the file and says what to do.
 *
 * <p>Anything else an engine call throws is an internal error (a bug): front ends show one line and
 * keep the trace for the report.
 */
public class TesseraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The classes of failure, each with its exit code in the README's table. */
  public enum Kind {
    /** A file or folder the user named does not exist (the library to search, a CSV, a folder). */
    NOT_FOUND,
    /**
     * A file the user gave is not what it should be: not a library (another SQLite database, not a
     * database, a folder, written by a newer Tessera), a CSV with syntax errors, a query that is
     * not an image, a query with nothing to look for.
     */
    BAD_INPUT,
    /** The library is damaged: Tessera does not write to it ({@code tessera check} says more). */
    DAMAGED,
    /** The library cannot be written: read-only medium, read-only or immutable file, permission. */
    READ_ONLY,
    /** Another Tessera is writing the library (indexing, importing, pruning, coding). */
    BUSY,
    /** Reading or writing failed: disk full, an I/O error of the disk. */
    IO,
    /** Anything unexpected: a bug. */
    INTERNAL
  }

  private final Kind kind;
  private final Path file;

  public TesseraException(Kind kind, Path file, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.file = file;
  }

  public TesseraException(Kind kind, Path file, String message) {
    this(kind, file, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The file or folder the failure is about, or null. */
  public Path file() {
    return file;
  }
}

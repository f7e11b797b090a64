package app.tessera.engine.store;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures of the catalogue as {@link TesseraException}s whose one-line message names the library
 * and says what to do; what SQLite said stays in the message's parentheses and the cause.
 */
final class Problems {
  private Problems() {}

  /**
   * sqlite-jdbc's messages: {@code [SQLITE_FULL] Insertion failed ... (database or disk is full)}.
   */
  private static final Pattern DRIVER_MESSAGE = Pattern.compile("^\\[(\\w+)][^(]*\\((.*)\\)$");

  /**
   * {@code e} as a failure of library {@code file}: typed failures that already name their file
   * pass through; internal ones stay internal (with the library named).
   */
  static TesseraException explain(Path file, Throwable e) {
    if (e instanceof TesseraException typed && typed.file() != null) {
      return typed;
    }
    String detail = detail(e);
    return switch (StoreException.kindOf(e)) {
      case DAMAGED ->
          new TesseraException(
              Kind.DAMAGED,
              file,
              "library " + file + " is damaged (" + detail + ")" + whatToDo(file),
              e);
      case READ_ONLY ->
          new TesseraException(
              Kind.READ_ONLY,
              file,
              "library "
                  + file
                  + " cannot be written (read-only medium or file, or no permission): searching"
                  + " works on it as it is; to change it, copy it to a folder you may write to",
              e);
      case BUSY ->
          new TesseraException(
              Kind.BUSY,
              file,
              "library "
                  + file
                  + " stayed locked by another program for "
                  + Catalog.BUSY_TIMEOUT_MS / 1000
                  + " s: try again when it has finished",
              e);
      case IO ->
          StoreException.sqliteCode(e) == StoreException.FULL
              ? diskFull(file, e)
              : new TesseraException(
                  Kind.IO,
                  file,
                  "reading or writing library "
                      + file
                      + " failed ("
                      + detail
                      + "): check the disk, then run 'tessera check --library "
                      + file
                      + "'",
                  e);
      case NOT_FOUND, BAD_INPUT, INTERNAL ->
          e instanceof TesseraException typed
              ? typed
              : new StoreException(file, "library " + file + ": " + detail, e);
    };
  }

  static TesseraException diskFull(Path file, Throwable e) {
    return new TesseraException(
        Kind.IO,
        file,
        "the disk holding library "
            + file
            + " is full: free some space and run again (what was written before is kept)",
        e);
  }

  /** A failed file operation next to the library (its folder, a backup, the lock file). */
  static TesseraException io(Path file, String what, IOException e) {
    String reason = e.getMessage();
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      reason = fs.getReason();
    }
    if (e instanceof AccessDeniedException
        || (reason != null && reason.contains("Read-only file system"))) {
      return new TesseraException(
          Kind.READ_ONLY,
          file,
          what
              + " (read-only medium or no permission): searching works on the library as it is;"
              + " to change it, copy it to a folder you may write to",
          e);
    }
    if (reason != null && reason.contains("No space left")) {
      return diskFull(file, e);
    }
    return new TesseraException(Kind.IO, file, what + " (" + reason + ")", e);
  }

  /** What to do about a damaged library: check it, and the last backup if there is one. */
  static String whatToDo(Path file) {
    String backup =
        Backups.latest(file)
            .map(b -> "; the last backup Tessera made is " + b)
            .orElse("; restore it from a backup or recover it with sqlite3's .recover");
    return ": Tessera will not write to it. 'tessera check --library "
        + file
        + "' lists the damage"
        + backup;
  }

  /** What SQLite said, without the driver's decoration. */
  static String detail(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        Matcher m = DRIVER_MESSAGE.matcher(t.getMessage().strip());
        return m.matches() ? m.group(2) : t.getMessage().strip();
      }
    }
    return String.valueOf(e.getMessage());
  }
}

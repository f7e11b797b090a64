package app.tessera.cli;

import app.tessera.engine.TesseraException;

/**
 * The exit codes of every command (the README's table). Beyond 0-2 they follow BSD's sysexits.h, so
 * scripts can tell "fix your input" from "try again later" from "report a bug".
 */
public final class ExitCode {
  private ExitCode() {}

  /** Done. */
  public static final int OK = 0;

  /** Done, but some rows or items failed; each is listed with its reason. */
  public static final int PARTLY = 1;

  /** Bad command line: unknown option, value out of range (the message gives the range). */
  public static final int USAGE = 2;

  /** A file is not what it should be: not a library, a damaged library, bad CSV, not an image. */
  public static final int DATA = 65;

  /** A file or folder that was named does not exist or cannot be read. */
  public static final int NO_INPUT = 66;

  /** A bug: the message says where the full trace went. */
  public static final int INTERNAL = 70;

  /** The library cannot be written (read-only medium or file, no permission). */
  public static final int CANT_WRITE = 73;

  /** Reading or writing failed: disk full, I/O error. */
  public static final int IO = 74;

  /** Another Tessera is changing the library: try again when it has finished. */
  public static final int BUSY = 75;

  /** Cancelled (Ctrl-C); what was done is kept. */
  public static final int CANCELLED = 130;

  /** The exit code of an engine failure of this kind. */
  public static int of(TesseraException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> NO_INPUT;
      case BAD_INPUT, DAMAGED -> DATA;
      case READ_ONLY -> CANT_WRITE;
      case BUSY -> BUSY;
      case IO -> IO;
      case INTERNAL -> INTERNAL;
    };
  }
}

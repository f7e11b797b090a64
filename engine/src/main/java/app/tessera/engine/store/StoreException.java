package app.tessera.engine.store;

import app.tessera.engine.TesseraException;
import java.sql.SQLException;

/**
 * A catalogue operation failed. Its {@link #kind()} comes from SQLite's result code (busy,
 * read-only, damaged, disk full, I/O error; anything else is internal); {@link Catalog} adds the
 * library file and what to do before it leaves the store.
 */
public final class StoreException extends TesseraException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(kindOf(cause), null, message, cause);
  }

  /** An internal failure of library {@code file}. */
  StoreException(java.nio.file.Path file, String message, Throwable cause) {
    super(kindOf(cause), file, message, cause);
  }

  public StoreException(String message) {
    super(Kind.INTERNAL, null, message);
  }

  /** SQLite's primary result codes that say more than "internal". */
  static final int BUSY = 5;

  static final int LOCKED = 6;
  static final int READONLY = 8;
  static final int IOERR = 10;
  static final int CORRUPT = 11;
  static final int FULL = 13;
  static final int CANTOPEN = 14;
  static final int NOTADB = 26;

  /** The SQLite primary result code in {@code e}'s causes, or -1. */
  static int sqliteCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() > 0) {
        return sql.getErrorCode() & 0xFF; // extended codes keep the primary one in the low byte
      }
    }
    return -1;
  }

  static Kind kindOf(Throwable e) {
    if (e instanceof TesseraException t) {
      return t.kind();
    }
    return switch (sqliteCode(e)) {
      case BUSY, LOCKED -> Kind.BUSY;
      case READONLY -> Kind.READ_ONLY;
      case CORRUPT, NOTADB -> Kind.DAMAGED;
      case FULL, IOERR -> Kind.IO;
      default -> Kind.INTERNAL;
    };
  }
}

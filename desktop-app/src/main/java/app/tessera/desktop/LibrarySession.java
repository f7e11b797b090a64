package app.tessera.desktop;

import app.tessera.engine.TesseraException;
import app.tessera.engine.api.Library;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The library the window works on, opened on first use (on a worker thread, never the FX thread)
 * and closed with the window.
 */
public final class LibrarySession implements AutoCloseable {
  private final Path file;
  private Library library;

  public LibrarySession(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /**
   * The open library; opens (and creates) it on first call. One that cannot be written (a read-only
   * copy) is opened for searching its stored codes.
   */
  public synchronized Library library() {
    if (library == null) {
      try {
        library = Library.open(file);
      } catch (TesseraException e) {
        if (e.kind() != TesseraException.Kind.READ_ONLY || !Files.isRegularFile(file)) {
          throw e;
        }
        library = Library.openReadOnly(file);
      }
    }
    return library;
  }

  @Override
  public synchronized void close() {
    if (library != null) {
      library.close();
      library = null;
    }
  }
}

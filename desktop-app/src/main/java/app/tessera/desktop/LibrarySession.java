package app.tessera.desktop;

import app.tessera.engine.api.Library;
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

  /** The open library; opens (and creates) it on first call. */
  public synchronized Library library() {
    if (library == null) {
      library = Library.open(file);
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

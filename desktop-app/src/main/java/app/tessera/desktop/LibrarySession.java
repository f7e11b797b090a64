package app.tessera.desktop;

import app.tessera.engine.TesseraException;
import app.tessera.engine.api.Library;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The library the window works on, opened on first use (on a worker thread, never the FX thread),
 * switched when the user opens or creates another one, and closed with the window.
 */
public final class LibrarySession implements AutoCloseable {
  private Path file;
  private boolean demoWhenEmpty;
  private Library library;

  /** The window's first library; filled with the demo collection while it is empty. */
  public LibrarySession(Path file) {
    this(file, true);
  }

  /**
   * @param demoWhenEmpty whether an empty library gets the shipped demo collection (the default
   *     library on a fresh machine; never one the user created)
   */
  public LibrarySession(Path file, boolean demoWhenEmpty) {
    this.file = file;
    this.demoWhenEmpty = demoWhenEmpty;
  }

  public synchronized Path file() {
    return file;
  }

  public synchronized boolean demoWhenEmpty() {
    return demoWhenEmpty;
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

  /**
   * Works on the library in {@code next} from now on (opened, and created if new, at once) and
   * returns the previous one, still open, for the caller to close once nothing uses it.
   */
  public synchronized Library switchTo(Path next, boolean demo) {
    Library opened = Library.open(next);
    Library previous = library;
    library = opened;
    file = next;
    demoWhenEmpty = demo;
    return previous;
  }

  @Override
  public synchronized void close() {
    if (library != null) {
      library.close();
      library = null;
    }
  }
}

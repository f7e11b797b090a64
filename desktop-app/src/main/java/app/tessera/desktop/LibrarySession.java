package app.tessera.desktop;

import app.tessera.engine.store.Catalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The library the window works on, opened on first use (on a worker thread, never the FX thread)
 * and closed with the window.
 */
public final class LibrarySession implements AutoCloseable {
  private final Path file;
  private Catalog catalog;

  public LibrarySession(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The open catalogue; opens (and creates) it on first call. */
  public synchronized Catalog catalog() {
    if (catalog == null) {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the folder of " + file, e);
      }
      catalog = Catalog.open(file);
    }
    return catalog;
  }

  @Override
  public synchronized void close() {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }
}

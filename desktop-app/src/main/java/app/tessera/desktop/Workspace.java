package app.tessera.desktop;

import app.tessera.app.ShippedModels;
import app.tessera.desktop.search.LibrarySearchBackend;
import app.tessera.engine.Device;
import app.tessera.engine.ingest.CaptionImporter;
import app.tessera.engine.ingest.IndexListener;
import app.tessera.engine.ingest.IndexOptions;
import app.tessera.engine.library.ModelBundle;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.LibraryRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What the window works with: the library, the model bundle and the search over them. On a fresh
 * machine the library is empty, so the shipped demo collection is indexed into it, and the shipped
 * default model makes it searchable with no download. All methods run on worker threads.
 */
public final class Workspace implements AutoCloseable {
  private final LibrarySession library;
  private final LibrarySearchBackend search = new LibrarySearchBackend();
  private ModelBundle bundle;

  public Workspace(LibrarySession library) {
    this.library = library;
  }

  public LibrarySession library() {
    return library;
  }

  public LibrarySearchBackend search() {
    return search;
  }

  /** Opens everything; fills an empty library with the demo collection. Returns a status line. */
  public synchronized String open(Consumer<String> progress) throws IOException {
    Catalog catalog = library.catalog();
    boolean demo = false;
    if (catalog.read(LibraryRecords::roots).isEmpty()) {
      progress.accept("Adding the demo collection…");
      Path collection = ShippedModels.demoCollection();
      new CaptionImporter(catalog, IndexOptions.defaults())
          .importCsv(collection.resolve("manifest.csv"), true, IndexListener.NONE);
      demo = true;
    }
    progress.accept("Loading the model…");
    bundle = ModelBundle.open(ShippedModels.defaultBundle(), Device.AUTO);
    refresh(progress);
    return (demo ? "Demo library" : "Library")
        + " "
        + library.file()
        + " · "
        + search.imageCount()
        + " images · model "
        + bundle.manifest().name()
        + " ("
        + bundle.manifest().bits()
        + " bits)";
  }

  /** Codes new items (after an index run) and makes them searchable. */
  public synchronized void refresh(Consumer<String> progress) {
    if (bundle != null) {
      search.reload(library.catalog(), bundle, progress);
    }
  }

  @Override
  public synchronized void close() {
    if (bundle != null) {
      bundle.close();
      bundle = null;
    }
    library.close();
  }
}

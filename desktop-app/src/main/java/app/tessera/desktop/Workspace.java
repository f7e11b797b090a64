package app.tessera.desktop;

import app.tessera.app.ShippedModels;
import app.tessera.desktop.search.LibrarySearchBackend;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.ingest.CaptionImporter;
import app.tessera.engine.ingest.IngestOptions;
import app.tessera.engine.library.ModelBundle;
import app.tessera.engine.store.Catalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  private final List<ModelBundle> retired = new ArrayList<>();

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
    if (catalog.read(tx -> tx.roots().list()).isEmpty()) {
      progress.accept("Adding the demo collection…");
      Path collection = ShippedModels.demoCollection();
      new CaptionImporter(catalog, IngestOptions.defaults())
          .importCsv(collection.resolve("manifest.csv"), true, IndexListener.NONE);
      demo = true;
    }
    progress.accept("Loading the model…");
    return use(ShippedModels.defaultBundle(), progress, demo ? "Demo library" : "Library");
  }

  /** Searches with the bundle in {@code dir} from now on (codes what it has not coded yet). */
  public synchronized String use(Path dir, Consumer<String> progress) throws IOException {
    return use(dir, progress, "Library");
  }

  private String use(Path dir, Consumer<String> progress, String what) throws IOException {
    ModelBundle next = ModelBundle.open(dir, Device.AUTO);
    ModelBundle previous = bundle;
    bundle = next;
    try {
      refresh(progress);
    } catch (RuntimeException e) {
      bundle = previous;
      next.close();
      throw e;
    }
    if (previous != null) {
      retired.add(previous); // searches in flight may still use it: closed with the workspace
    }
    return what
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
    retired.forEach(ModelBundle::close);
    retired.clear();
    library.close();
  }
}

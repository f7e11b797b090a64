package app.tessera.engine.library;

import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchResults;
import app.tessera.engine.search.SearchService;
import app.tessera.engine.store.Catalog;
import java.util.function.Consumer;

/**
 * Search over one library with one model bundle: brings the library's codes up to date (encoding
 * only new items), loads them into Hamming indexes, and answers queries in the four directions.
 * Open a new one after indexing to see new items.
 */
public final class LibrarySearch {
  private final SearchService service;
  private final CatalogSources sources;
  private final LibraryCoder.Result coding;

  private LibrarySearch(SearchService service, CatalogSources sources, LibraryCoder.Result coding) {
    this.service = service;
    this.sources = sources;
    this.coding = coding;
  }

  /** Codes what is new in {@code catalog} with {@code bundle} and loads everything for search. */
  public static LibrarySearch open(Catalog catalog, ModelBundle bundle, Consumer<String> progress) {
    LibraryCoder.Result coding = LibraryCoder.update(catalog, bundle, progress);
    CatalogSources sources =
        new CatalogSources(
            catalog, coding.modelId(), bundle.imageEncoder().id(), bundle.textEncoder().id());
    SearchService service =
        new SearchService(new BundleQueryEncoder(bundle), sources, sources, sources);
    return new LibrarySearch(service, sources, coding);
  }

  public SearchResults search(Query query) {
    return service.search(query);
  }

  /** What the last update encoded and coded. */
  public LibraryCoder.Result coding() {
    return coding;
  }

  /** Images that can be found (online, with a code). */
  public long imageCount() {
    return sources.imageCount();
  }

  /** Captions that can be found. */
  public long captionCount() {
    return sources.captionCount();
  }
}

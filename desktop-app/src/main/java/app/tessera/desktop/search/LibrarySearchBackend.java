package app.tessera.desktop.search;

import app.tessera.engine.library.LibrarySearch;
import app.tessera.engine.library.ModelBundle;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.StoredImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The search page over a real library: the engine's {@link LibrarySearch} with a model bundle, plus
 * the stored thumbnails. {@link #reload} (after indexing) codes new items and swaps in a fresh
 * search atomically; searches in flight finish on the previous one.
 */
public final class LibrarySearchBackend implements SearchBackend {
  private record State(Catalog catalog, LibrarySearch search) {}

  private volatile State state;
  private volatile String notReady = "Preparing the library…";

  /** Codes what is new and makes it searchable. Runs on a worker thread. */
  public void reload(Catalog catalog, ModelBundle bundle, Consumer<String> progress) {
    state = new State(catalog, LibrarySearch.open(catalog, bundle, progress));
  }

  /** What to say while there is nothing to search. */
  public void notReady(String reason) {
    notReady = reason;
  }

  /** Images that can be found now. */
  public long imageCount() {
    State s = state;
    return s == null ? 0 : s.search().imageCount();
  }

  @Override
  public Outcome search(SearchQuery request) {
    State s = state;
    if (s == null) {
      throw new IllegalStateException(notReady);
    }
    Query.Builder query =
        Query.builder()
            .target(
                request.target() == SearchQuery.Target.IMAGES
                    ? Query.Target.IMAGES
                    : Query.Target.CAPTIONS)
            .top(request.top());
    if (request.hasText()) {
      query.text(request.text());
    }
    if (request.hasImage()) {
      query.image(request.image(), 1);
    }
    SearchResults results = s.search().search(query.build());
    ItemStore items = new ItemStore(s.catalog());
    List<ResultCard> cards = new ArrayList<>(results.hits().size());
    for (SearchHit hit : results.hits()) {
      byte[] thumbnail =
          request.target() == SearchQuery.Target.IMAGES
              ? items.thumbnail(hit.itemId()).map(StoredImage::bytes).orElse(null)
              : null;
      cards.add(
          new ResultCard(
              hit.itemId(), hit.path(), hit.caption(), thumbnail, hit.distance(), hit.score()));
    }
    return new Outcome(cards, results.elapsed().toNanos() / 1e6);
  }
}

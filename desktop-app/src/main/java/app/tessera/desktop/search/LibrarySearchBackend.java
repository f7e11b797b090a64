package app.tessera.desktop.search;

import app.tessera.engine.api.Library;
import app.tessera.engine.api.Search;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search page over a real library: the engine's live {@link Search} with the active model, plus
 * the stored thumbnails of each result page (one query for the page). {@link #use} swaps in another
 * model's search atomically; searches in flight finish on the previous one.
 */
public final class LibrarySearchBackend implements SearchBackend {
  private record State(Library library, Search search) {}

  private volatile State state;
  private volatile String notReady = "Preparing the library…";

  /** Searches {@code library} with {@code search} from now on. */
  public void use(Library library, Search search) {
    state = new State(library, search);
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
    Map<Long, byte[]> thumbnails =
        request.target() == SearchQuery.Target.IMAGES
            ? s.library().thumbnails(results.hits().stream().mapToLong(SearchHit::itemId).toArray())
            : Map.of();
    List<ResultCard> cards = new ArrayList<>(results.hits().size());
    for (SearchHit hit : results.hits()) {
      cards.add(
          new ResultCard(
              hit.itemId(),
              hit.path(),
              hit.caption(),
              thumbnails.get(hit.itemId()),
              hit.distance(),
              hit.score(),
              hit.reasons().stream()
                  .sorted()
                  .map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                  .toList()));
    }
    return new Outcome(cards, results.elapsed().toNanos() / 1e6);
  }
}

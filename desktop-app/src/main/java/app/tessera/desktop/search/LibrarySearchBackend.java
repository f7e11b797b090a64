package app.tessera.desktop.search;

import app.tessera.engine.api.Folder;
import app.tessera.engine.api.ItemDetails;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.Search;
import app.tessera.engine.search.MatchReason;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The search page over a real library: the engine's live {@link Search} with the active model, the
 * stored thumbnails of a page of results in one query, and an item's details for the preview.
 * {@link #use} swaps in another model's search atomically; searches in flight finish on the
 * previous one.
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

  private State ready() {
    State s = state;
    if (s == null) {
      throw new IllegalStateException(notReady);
    }
    return s;
  }

  @Override
  public Outcome search(SearchQuery request) {
    State s = ready();
    long start = System.nanoTime();
    List<ResultCard> images =
        request.target().images()
            ? cards(s, request, s.search().search(query(request, Query.Target.IMAGES)))
            : List.of();
    List<ResultCard> captions =
        request.target().captions()
            ? cards(s, request, s.search().search(query(request, Query.Target.CAPTIONS)))
            : List.of();
    return new Outcome(
        images,
        captions,
        (System.nanoTime() - start) / 1e6,
        request.target().images() ? s.search().imageCount() : 0,
        request.target().captions() ? s.search().captionCount() : 0);
  }

  private static Query query(SearchQuery request, Query.Target target) {
    Query.Builder query =
        Query.builder().target(target).top(request.top()).filter(request.filter());
    if (request.hasText()) {
      query.text(request.text());
    }
    switch (request.image()) {
      case QueryImage.File f -> query.image(f.path(), 1);
      case QueryImage.Pasted p -> query.image(p.png(), 1);
      case QueryImage.Item i -> query.item(i.itemId(), 1);
      case null -> {}
    }
    return query.build();
  }

  private static List<ResultCard> cards(State s, SearchQuery request, SearchResults results) {
    String against = against(request);
    int bits = s.search().bits();
    List<ResultCard> cards = new ArrayList<>(results.hits().size());
    for (SearchHit hit : results.hits()) {
      cards.add(
          new ResultCard(
              hit.itemId(),
              hit.captionId(),
              hit.path(),
              hit.caption(),
              hit.distance(),
              hit.score(),
              why(hit.reasons(), hit.distance(), bits, against, results.reranked())));
    }
    return cards;
  }

  /** What the query's code came from, as the "why" line names it. */
  static String against(SearchQuery request) {
    if (request.image() instanceof QueryImage.Item item) {
      return request.hasText() ? item.name() + " and the text" : item.name();
    }
    if (request.hasImage()) {
      return request.hasText() ? "the image and the text" : "the query image";
    }
    return "the text";
  }

  /**
   * Why a result matched, in the model's own terms: how many bits of its hash code agree with the
   * query's code (the ranking), or that features re-ranked it.
   */
  static String why(int distance, int bits, String against, boolean reranked) {
    String agree =
        distance == 0
            ? "Same " + bits + "-bit code as " + against
            : (bits - distance) + " of " + bits + " code bits agree with " + against;
    return reranked ? agree + "; re-ranked by feature similarity" : agree;
  }

  /**
   * Why a fused result matched: what found it (caption words, caption meaning, image), then its
   * code agreement when it has a code distance (a result found by its caption's words alone has
   * none).
   */
  static String why(
      Set<MatchReason> reasons, int distance, int bits, String against, boolean reranked) {
    String codes = distance < 0 ? null : why(distance, bits, against, reranked);
    if (reasons.isEmpty()) {
      return codes;
    }
    String found =
        "Matched by "
            + String.join(", ", reasons.stream().sorted().map(MatchReason::words).toList());
    return codes == null ? found : found + "; " + codes;
  }

  @Override
  public Map<Long, byte[]> thumbnails(long[] itemIds) {
    return ready().library().thumbnails(itemIds);
  }

  @Override
  public Optional<ItemDetails> details(long itemId) {
    return ready().library().details(itemId);
  }

  @Override
  public Map<String, Integer> labels() {
    return ready().library().labels();
  }

  @Override
  public List<Path> folders() {
    return ready().library().folders().stream().map(Folder::path).toList();
  }
}

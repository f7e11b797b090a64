package app.tessera.desktop.search;

import java.util.List;

/** The engine as the search page sees it. Called on a worker thread, never on the FX thread. */
@FunctionalInterface
public interface SearchBackend {
  Outcome search(SearchQuery query) throws Exception;

  /** Ranked results and how long the engine took. */
  record Outcome(List<ResultCard> results, double millis) {}

  /** A backend for when no library or model is available yet: explains instead of searching. */
  static SearchBackend unavailable(String reason) {
    return query -> {
      throw new IllegalStateException(reason);
    };
  }
}

package app.tessera.desktop.search;

import app.tessera.engine.api.ItemDetails;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine as the search page sees it. Called on worker threads, never on the FX thread. Only
 * {@link #search} is required (tests script it); the rest have empty answers by default.
 */
@FunctionalInterface
public interface SearchBackend {
  Outcome search(SearchQuery query) throws Exception;

  /**
   * Ranked results and how long the engine took.
   *
   * @param images image results (empty unless images were asked for)
   * @param captions caption results (empty unless captions were asked for)
   * @param imagesSearched how many images the query ran over (after the filters)
   * @param captionsSearched how many captions the query ran over
   */
  record Outcome(
      List<ResultCard> images,
      List<ResultCard> captions,
      double millis,
      long imagesSearched,
      long captionsSearched) {
    public Outcome {
      images = List.copyOf(images);
      captions = List.copyOf(captions);
    }

    /** Image results only, over {@code searched} images. */
    public static Outcome images(List<ResultCard> images, double millis, long searched) {
      return new Outcome(images, List.of(), millis, searched, 0);
    }

    /** Caption results only, over {@code searched} captions. */
    public static Outcome captions(List<ResultCard> captions, double millis, long searched) {
      return new Outcome(List.of(), captions, millis, 0, searched);
    }
  }

  /** The stored thumbnails (encoded bytes) of a page of items, in one call. */
  default Map<Long, byte[]> thumbnails(long[] itemIds) throws Exception {
    return Map.of();
  }

  /** Everything the library knows of an image, for the preview. */
  default Optional<ItemDetails> details(long itemId) throws Exception {
    return Optional.empty();
  }

  /** The labels in use, with how many images carry each (for the label filter). */
  default Map<String, Integer> labels() throws Exception {
    return Map.of();
  }

  /** The library's folders (for the folder filter). */
  default List<Path> folders() throws Exception {
    return List.of();
  }

  /** A backend for when no library or model is available yet: explains instead of searching. */
  static SearchBackend unavailable(String reason) {
    return query -> {
      throw new IllegalStateException(reason);
    };
  }
}

package app.tessera.engine.api;

import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.index.IndexSnapshot;
import app.tessera.engine.search.CodeSource;
import app.tessera.engine.search.ItemCatalog;
import app.tessera.engine.search.SearchFilter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * One consistent state of a live {@link Search}: the metadata and the two index snapshots (images,
 * captions) published together, so a query never sees a code whose item it cannot show.
 */
record LibraryView(Metadata metadata, IndexSnapshot imageIndex, IndexSnapshot captionIndex)
    implements CodeSource, ItemCatalog {

  @Override
  public HammingSearcher images() {
    return imageIndex;
  }

  @Override
  public HammingSearcher captions() {
    return captionIndex;
  }

  @Override
  public Optional<long[]> imageCode(long itemId) {
    return imageIndex.code(itemId);
  }

  @Override
  public Optional<long[]> captionCode(long captionId) {
    return captionIndex.code(captionId);
  }

  @Override
  public Optional<Item> item(long itemId) {
    return Optional.ofNullable(metadata.online().get(itemId));
  }

  @Override
  public Optional<Caption> caption(long captionId) {
    return Optional.ofNullable(metadata.captions().get(captionId));
  }

  @Override
  public List<Caption> captionsOf(long itemId) {
    return metadata.captionsByImage().getOrDefault(itemId, List.of());
  }

  /** One pass over the items into a set, instead of a lookup per scanned code. */
  @Override
  public LongPredicate itemsMatching(SearchFilter filter) {
    Predicate<Item> test = filter.compile();
    Set<Long> passing = new HashSet<>();
    for (Item item : metadata.online().values()) {
      if (test.test(item)) {
        passing.add(item.id());
      }
    }
    return passing::contains;
  }
}

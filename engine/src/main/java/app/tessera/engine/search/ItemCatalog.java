package app.tessera.engine.search;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/** Item and caption metadata: what results show and what filters test. */
public interface ItemCatalog {
  /**
   * An indexed image.
   *
   * @param root the indexed folder it was found under
   * @param date when it was taken (or the file's modification time), or null
   * @param caption its first caption, or null
   */
  record Item(long id, Path path, Path root, Instant date, Set<String> labels, String caption) {}

  /** A caption of an item. */
  record Caption(long id, long itemId, String text) {}

  Optional<Item> item(long itemId);

  Optional<Caption> caption(long captionId);

  /** The captions of an item (none: an empty list). */
  List<Caption> captionsOf(long itemId);

  /**
   * The items passing {@code filter}, as a predicate on item ids that the index calls inside its
   * scan (so top-k stays exact). The default looks each item up; a store should answer with one
   * query into a set.
   */
  default LongPredicate itemsMatching(SearchFilter filter) {
    Predicate<Item> test = filter.compile();
    return id -> item(id).map(test::test).orElse(false);
  }
}

package app.tessera.engine.search;

import app.tessera.engine.index.HammingSearcher;
import java.util.Optional;

/** The Hamming indexes a search runs on, for the active model. */
public interface CodeSource {
  /** Image codes; ids are item ids. */
  HammingSearcher images();

  /** Caption codes; ids are caption ids. */
  HammingSearcher captions();

  /** The stored image code of an item ("more like this"), if it has one. */
  Optional<long[]> imageCode(long itemId);
}

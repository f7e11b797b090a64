package app.tessera.engine.search;

import app.tessera.engine.index.HammingSearcher;
import java.util.Optional;

/** The Hamming indexes a search runs on, for the active model. */
public interface CodeSource {
  /** Image codes; ids are item ids. */
  HammingSearcher images();

  /** Caption codes; ids are caption ids. */
  HammingSearcher captions();

  /** The stored image code of an item ("more like this", tie-breaking), if it has one. */
  Optional<long[]> imageCode(long itemId);

  /** The stored code of a caption (tie-breaking), if it has one. */
  Optional<long[]> captionCode(long captionId);
}

package app.tessera.engine.search;

import java.util.List;

/** Captions found by the words of a query (a full-text index), best first. */
public interface CaptionWordIndex {
  /**
   * Caption ids whose text has any word of {@code texts} and none of {@code excluded}'s, best
   * first, at most {@code limit}.
   */
  List<Long> match(List<String> texts, List<String> excluded, int limit);

  /** No full-text index: captions are found by their codes only. */
  CaptionWordIndex NONE = (texts, excluded, limit) -> List.of();
}

package app.tessera.engine.search;

/** Why a result was found: which of the fused rankings put it near the query. */
public enum MatchReason {
  /** Its caption contains the query's words (the captions' full-text index, BM25). */
  CAPTION_WORDS,
  /** Its caption's code is near the query's (the caption's meaning). */
  CAPTION_MEANING,
  /** Its image's code is near the query's. */
  IMAGE;

  /** In words, as front ends show it: "caption words", "caption meaning", "image". */
  public String words() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}

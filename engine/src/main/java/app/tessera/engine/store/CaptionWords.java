package app.tessera.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The captions' full-text index (SQLite FTS5, schema 4; kept in step with the captions by
 * triggers): the captions that contain a query's words, best BM25 first. Words are matched as whole
 * tokens after Porter stemming ("dogs" finds "dog"), case and accents aside.
 */
public final class CaptionWords {
  /** The first schema version with the index; an older library opened read-only has none. */
  static final int SINCE_VERSION = 4;

  /**
   * English words too common to rank by: BM25 gives them almost no weight, but matching them would
   * make the index score nearly every caption of a large library.
   */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
          "on", "or", "the", "to", "with");

  private final Catalog catalog;

  public CaptionWords(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Caption ids whose text has any of the words of {@code texts} and none of {@code excluded}'s,
   * best BM25 first, at most {@code limit}; empty when there is no word to look for or the library
   * predates the index.
   */
  public List<Long> match(List<String> texts, List<String> excluded, int limit) {
    String expression = expression(texts, excluded);
    if (expression == null || limit < 1 || catalog.version() < SINCE_VERSION) {
      return List.of();
    }
    return catalog.readSql(
        c -> {
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT rowid FROM caption_words WHERE caption_words MATCH ?"
                      + " ORDER BY bm25(caption_words), rowid LIMIT ?")) {
            st.setString(1, expression);
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
          }
          return ids;
        });
  }

  /**
   * The FTS5 query: any wanted word, none of the excluded ones, each word a quoted string (so no
   * user text is read as FTS syntax); null when no wanted word is left.
   */
  static String expression(List<String> texts, List<String> excluded) {
    Set<String> wanted = words(texts);
    if (wanted.isEmpty()) {
      return null;
    }
    String any = "(" + String.join(" OR ", wanted) + ")";
    Set<String> unwanted = words(excluded);
    return unwanted.isEmpty() ? any : any + " NOT (" + String.join(" OR ", unwanted) + ")";
  }

  /** Letter-and-digit runs, lower case, stop words left out, quoted for FTS5. */
  private static Set<String> words(List<String> texts) {
    Set<String> out = new LinkedHashSet<>();
    for (String text : texts) {
      for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty() && !STOP_WORDS.contains(word)) {
          out.add('"' + word + '"');
        }
      }
    }
    return out;
  }
}

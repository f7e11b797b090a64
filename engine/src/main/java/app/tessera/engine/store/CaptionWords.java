package app.tessera.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The captions' full-text index (SQLite FTS5, schema 5; kept in step with the captions by
 * triggers): the captions that contain a query's words, best BM25 first. Words are matched as whole
 * tokens after Porter stemming ("dogs" finds "dog"), case and accents aside.
 *
 * <p>Not on the query path: the query service ranks caption words with the in-memory {@code
 * search.WordIndex}, which ranks as this table does without its cost at a million captions
 * (`docs/bench/README.md`). This class is the SQL reference that index is checked against (its
 * tests, {@code tessera bench search --fused}).
 */
public final class CaptionWords {
  /** The first schema version with the index; an older library opened read-only has none. */
  static final int SINCE_VERSION = 5;

  /**
   * English words too common to rank by: BM25 gives them almost no weight, but matching them would
   * make the index score nearly every caption of a large library.
   */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
          "on", "or", "the", "to", "with");

  /**
   * A word held by more captions than this is not looked for: BM25 ranks every caption that holds a
   * wanted word, and at a million captions a word in a few percent of them costs tens of ms
   * (`docs/bench/README.md`). A library with fewer captions keeps every word.
   */
  static final int COMMON = 20_000;

  private final Catalog catalog;
  private final int common;

  public CaptionWords(Catalog catalog) {
    this(catalog, COMMON);
  }

  /** Words in more than {@code common} captions are not looked for (none: Integer.MAX_VALUE). */
  public CaptionWords(Catalog catalog, int common) {
    this.catalog = catalog;
    this.common = common;
  }

  /**
   * Caption ids whose text has any of the words of {@code texts} and none of {@code excluded}'s,
   * best BM25 first, at most {@code limit}; empty when there is no word to look for (stop words and
   * words in more than {@link #COMMON} captions are not) or the library predates the index.
   */
  public List<Long> match(List<String> texts, List<String> excluded, int limit) {
    Set<String> wanted = words(texts);
    if (wanted.isEmpty() || limit < 1 || catalog.version() < SINCE_VERSION) {
      return List.of();
    }
    return catalog.readSql(
        c -> {
          Set<String> kept = new LinkedHashSet<>();
          try (PreparedStatement count =
              c.prepareStatement(
                  "SELECT count(*) FROM (SELECT 1 FROM caption_words WHERE caption_words MATCH ?"
                      + " LIMIT ?)")) {
            for (String word : wanted) {
              count.setString(1, word);
              count.setInt(2, common + 1); // counting stops there
              try (ResultSet rs = count.executeQuery()) {
                if (rs.next() && rs.getInt(1) <= common) {
                  kept.add(word);
                }
              }
            }
          }
          List<Long> ids = new ArrayList<>();
          if (kept.isEmpty()) {
            return ids;
          }
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT rowid FROM caption_words WHERE caption_words MATCH ?"
                      + " ORDER BY bm25(caption_words), rowid LIMIT ?")) {
            st.setString(1, expression(kept, words(excluded)));
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
   * The FTS5 query: any wanted word and none of the unwanted ones (all quoted by {@link #words}).
   */
  static String expression(Set<String> wanted, Set<String> unwanted) {
    String any = "(" + String.join(" OR ", wanted) + ")";
    return unwanted.isEmpty() ? any : any + " NOT (" + String.join(" OR ", unwanted) + ")";
  }

  /**
   * Letter-and-digit runs, lower case, stop words left out, each a quoted FTS5 string (so no user
   * text is read as query syntax).
   */
  static Set<String> words(List<String> texts) {
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

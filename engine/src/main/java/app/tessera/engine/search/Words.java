package app.tessera.engine.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Splits text into words as the catalogue's full-text table does (FTS5 {@code porter unicode61
 * remove_diacritics 2}, schema 5): runs of letters, digits and private-use characters, lower case,
 * accents removed, each stemmed by {@link PorterStemmer}. Query words also leave out {@link
 * #STOP_WORDS}.
 */
final class Words {
  /**
   * English words too common to rank by: BM25 gives them almost no weight, but looking for them
   * would score nearly every caption. Left out of queries only (captions' lengths count them).
   */
  static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
          "on", "or", "the", "to", "with");

  private Words() {}

  /** The stemmed words of {@code text}, in order, repeats kept. */
  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    split(text, (word, folded) -> out.add(PorterStemmer.stem(folded)));
    return out;
  }

  /**
   * The stemmed words of {@code text} with a cache of stems (building an index stems the same words
   * over and over).
   */
  static void of(String text, Map<String, String> stems, List<String> out) {
    split(text, (word, folded) -> out.add(stems.computeIfAbsent(folded, PorterStemmer::stem)));
  }

  /**
   * The stemmed query words of {@code texts}, in order, as FTS5 reads the query the catalogue's
   * full-text search builds ({@code store.CaptionWords}): each distinct word (lower case; stop
   * words left out) is one phrase, so two words with one stem ("dog dogs") are two phrases and that
   * stem counts twice in BM25, as there.
   */
  static List<String> query(List<String> texts) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String text : texts) {
      split(
          text,
          (word, folded) -> {
            String lower = word.toLowerCase(Locale.ROOT);
            if (!STOP_WORDS.contains(lower) && seen.add(lower)) {
              out.add(PorterStemmer.stem(folded));
            }
          });
    }
    return out;
  }

  /**
   * Calls {@code sink} with each word of {@code text} as written and folded (lower case,
   * unaccented).
   */
  private static void split(String text, BiConsumer<String, String> sink) {
    if (text == null) {
      return;
    }
    int start = -1;
    boolean ascii = true;
    for (int i = 0; i <= text.length(); ) {
      int cp = i < text.length() ? text.codePointAt(i) : ' ';
      boolean word = isWordChar(cp);
      if (word && start < 0) {
        start = i;
        ascii = true;
      }
      if (word) {
        ascii &= cp < 0x80;
      } else if (start >= 0) {
        String written = text.substring(start, i);
        String folded = fold(written, ascii);
        if (!folded.isEmpty()) {
          sink.accept(written, folded);
        }
        start = -1;
      }
      i += i < text.length() ? Character.charCount(cp) : 1;
    }
  }

  /** FTS5 unicode61's token characters (L*, N*, Co), and combining marks (removed by folding). */
  private static boolean isWordChar(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.PRIVATE_USE,
          Character.NON_SPACING_MARK ->
          true;
      default -> false;
    };
  }

  private static String fold(String word, boolean ascii) {
    if (ascii) {
      return word.toLowerCase(Locale.ROOT);
    }
    String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
    StringBuilder b = new StringBuilder(decomposed.length());
    decomposed
        .codePoints()
        .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
        .forEach(cp -> b.appendCodePoint(Character.toLowerCase(cp)));
    return b.toString();
  }
}

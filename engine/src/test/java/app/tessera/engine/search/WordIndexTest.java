package app.tessera.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.store.CaptionWords;
import app.tessera.engine.store.Catalog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WordIndex} against the catalogue's FTS5 table (the SQL it replaces on the query path): the
 * same words from the same text, and the same BM25 top-k (MaxScore's pruning included), order
 * included, on a generated corpus.
 */
class WordIndexTest {
  /**
   * Words that exercise the tokenizer and every step of the Porter stemmer, accents and case
   * included.
   */
  private static final List<String> WORDS =
      List.of(
          "caresses",
          "ponies",
          "ties",
          "caress",
          "cats",
          "feed",
          "agreed",
          "plastered",
          "bled",
          "motoring",
          "sing",
          "conflated",
          "troubled",
          "sized",
          "hopping",
          "tanned",
          "falling",
          "hissing",
          "fizzed",
          "failing",
          "filing",
          "happy",
          "sky",
          "relational",
          "conditional",
          "rational",
          "valenci",
          "hesitanci",
          "digitizer",
          "conformabli",
          "radicalli",
          "differentli",
          "vileli",
          "analogousli",
          "vietnamization",
          "predication",
          "operator",
          "feudalism",
          "decisiveness",
          "hopefulness",
          "callousness",
          "formaliti",
          "sensitiviti",
          "sensibiliti",
          "triplicate",
          "formative",
          "formalize",
          "electriciti",
          "electrical",
          "hopeful",
          "goodness",
          "revival",
          "allowance",
          "inference",
          "airliner",
          "gyroscopic",
          "adjustable",
          "defensible",
          "irritant",
          "replacement",
          "adjustment",
          "dependent",
          "adoption",
          "homologou",
          "communism",
          "activate",
          "angulariti",
          "homologous",
          "effective",
          "bowdlerize",
          "probate",
          "rate",
          "cease",
          "controll",
          "roll",
          "generalizing",
          "yelling",
          "dying",
          "eyes",
          "is",
          "at",
          "a",
          "by",
          "Running",
          "DOGS",
          "dog's",
          "grinning",
          "face",
          "café",
          "Cafés",
          "naïve",
          "Ünïcödé",
          "résumé",
          "piñata",
          "x2",
          "2024",
          "h2o",
          "über",
          "straße",
          "ÆON",
          "ferry",
          "flies",
          "yyy",
          "agreement",
          "abilities");

  @TempDir Path dir;

  @Test
  void splitsAndStemsTextAsTheFullTextTableDoes() throws Exception {
    List<String> texts = new ArrayList<>(WORDS);
    texts.add("A big red circle, on white!");
    texts.add("two dogs—running on the beach (2024)");
    texts.add("");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2')");
      st.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)");
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO t (rowid, x) VALUES (?, ?)")) {
        for (int i = 0; i < texts.size(); i++) {
          insert.setInt(1, i + 1);
          insert.setString(2, texts.get(i));
          insert.executeUpdate();
        }
      }
      Map<Integer, List<String>> fts5 = new LinkedHashMap<>();
      try (ResultSet rs = st.executeQuery("SELECT doc, term FROM v ORDER BY doc, offset")) {
        while (rs.next()) {
          fts5.computeIfAbsent(rs.getInt(1), d -> new ArrayList<>()).add(rs.getString(2));
        }
      }
      for (int i = 0; i < texts.size(); i++) {
        assertThat(Words.of(texts.get(i)))
            .as(texts.get(i))
            .isEqualTo(fts5.getOrDefault(i + 1, List.of()));
      }
    }
    assertThat(Words.of("generalizing Relational")).containsExactly("gener", "relat");
    // Each distinct word once, stop words out; two words of one stem are two (as FTS5's phrases).
    assertThat(Words.query(List.of("the Dogs and a dog", "cafés DOGS")))
        .containsExactly("dog", "dog", "cafe");
  }

  @Test
  void ranksAsTheFullTextTableOnAGeneratedCorpus() {
    Random random = new Random(11);
    // Zipf-like draws from the word list (and a few stop words): common, middling and rare words.
    List<String> vocabulary = new ArrayList<>(WORDS);
    vocabulary.addAll(List.of("the", "on", "a", "with"));
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder();
      for (int j = 2 + random.nextInt(12); j > 0; j--) {
        int w = (int) (Math.pow(random.nextDouble(), 2.5) * vocabulary.size());
        text.append(vocabulary.get(w)).append(random.nextInt(8) == 0 ? ", " : " ");
      }
      captions.add(text.toString().strip());
    }
    List<ItemCatalog.Caption> rows = new ArrayList<>();
    try (Catalog catalog = Catalog.open(dir.resolve("lib.sqlite"))) {
      catalog.writeSql(
          c -> {
            try (PreparedStatement item =
                    c.prepareStatement(
                        "INSERT INTO items (id, kind, created_at) VALUES (?, ?, 0)");
                PreparedStatement caption =
                    c.prepareStatement(
                        "INSERT INTO captions (item_id, image_id, source, text, text_hash)"
                            + " VALUES (?, ?, 'csv', ?, ?)")) {
              for (int i = 0; i < captions.size(); i++) {
                // Captions with ids out of insertion order, so ties follow ids, not arrival.
                long image = 10_000 + i;
                long id = 3 * (captions.size() - i);
                for (long[] row : new long[][] {{image, 0}, {id, 1}}) {
                  item.setLong(1, row[0]);
                  item.setString(2, row[1] == 0 ? "image" : "caption");
                  item.executeUpdate();
                }
                caption.setLong(1, id);
                caption.setLong(2, image);
                caption.setString(3, captions.get(i));
                caption.setString(4, Long.toString(id));
                caption.executeUpdate();
                rows.add(new ItemCatalog.Caption(id, image, captions.get(i)));
              }
            }
            return null;
          });
      WordIndex index = WordIndex.build(rows);
      CaptionWords fts5 = new CaptionWords(catalog, Integer.MAX_VALUE);
      assertThat(index.size()).isEqualTo(3000);

      int compared = 0;
      int withResults = 0;
      for (int q = 0; q < 300; q++) {
        // Words of one stem too ("dogs dog's"): each counts, as in FTS5.
        List<String> wanted = new ArrayList<>();
        for (int j = 1 + random.nextInt(4); j > 0; j--) {
          wanted.add(vocabulary.get((int) (Math.pow(random.nextDouble(), 2) * vocabulary.size())));
        }
        List<String> unwanted =
            random.nextInt(4) == 0
                ? unwantedWord(vocabulary, random, new HashSet<>(Words.query(wanted)))
                : List.of();
        String text = String.join(" ", wanted);
        int limit = random.nextBoolean() ? 10 : 100;
        List<Long> expected = fts5.match(List.of(text), unwanted, limit);
        assertThat(index.match(List.of(text), unwanted, limit))
            .as("%s -%s", text, unwanted)
            .isEqualTo(expected);
        // The pruned top-k is the head of the full ranking (no pruning when every caption is kept).
        List<Long> all = index.match(List.of(text), unwanted, index.size());
        assertThat(expected).isEqualTo(all.subList(0, Math.min(limit, all.size())));
        compared++;
        withResults += expected.isEmpty() ? 0 : 1;
      }
      assertThat(compared).isEqualTo(300);
      assertThat(withResults).isGreaterThan(250); // the comparison is not of empty lists
    }
  }

  @Test
  void findsNothingWithoutWordsToLookForAndHonoursTheLimit() {
    WordIndex index =
        WordIndex.build(
            List.of(
                new ItemCatalog.Caption(7, 1, "a red dog"),
                new ItemCatalog.Caption(3, 2, "two dogs running on a beach"),
                new ItemCatalog.Caption(5, 3, "a big red circle on white")));

    assertThat(index.match(List.of("the a on"), List.of(), 10)).isEmpty();
    assertThat(index.match(List.of("zebra"), List.of(), 10)).isEmpty();
    assertThat(index.match(List.of("red"), List.of(), 0)).isEmpty();
    assertThat(index.match(List.of("Dog"), List.of(), 10)).containsExactlyInAnyOrder(7L, 3L);
    assertThat(index.match(List.of("dog"), List.of("red"), 10)).containsExactly(3L);
    assertThat(index.match(List.of("red"), List.of(), 1)).hasSize(1);
    assertThat(index.match(List.of("dog dogs"), List.of(), 10)).containsExactly(7L, 3L);
    assertThat(WordIndex.EMPTY.match(List.of("red"), List.of(), 10)).isEmpty();
  }

  @Test
  void seekFindsTheFirstPlaceAtOrAfterATarget() {
    int[] a = {2, 3, 5, 8, 13, 21, 34, 55, 89};
    assertThat(WordIndex.seek(a, 0, 1)).isZero();
    assertThat(WordIndex.seek(a, 0, 13)).isEqualTo(4);
    assertThat(WordIndex.seek(a, 2, 14)).isEqualTo(5);
    assertThat(WordIndex.seek(a, 5, 21)).isEqualTo(5);
    assertThat(WordIndex.seek(a, 3, 89)).isEqualTo(8);
    assertThat(WordIndex.seek(a, 0, 90)).isEqualTo(a.length);
    assertThat(WordIndex.seek(a, a.length, 1)).isEqualTo(a.length);
  }

  /** A vocabulary word (as a one-element list) whose stems are none of {@code wanted}. */
  private static List<String> unwantedWord(
      List<String> vocabulary, Random random, Set<String> wanted) {
    while (true) {
      String word = vocabulary.get(random.nextInt(vocabulary.size()));
      List<String> stems = Words.query(List.of(word));
      if (!stems.isEmpty() && stems.stream().noneMatch(wanted::contains)) {
        return List.of(word);
      }
    }
  }
}

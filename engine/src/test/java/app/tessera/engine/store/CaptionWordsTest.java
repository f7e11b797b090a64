package app.tessera.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionWordsTest {
  @TempDir Path tmp;

  private static long image(Catalog catalog) {
    return catalog.writeSql(c -> ImageRepository.insertItem(c, "image"));
  }

  private static void caption(Catalog catalog, long imageId, String text) {
    catalog.write(tx -> tx.captions().add(imageId, null, new NewCaption("csv", null, text, null)));
  }

  private static List<String> texts(Catalog catalog, List<Long> captionIds) {
    return captionIds.stream()
        .map(
            id ->
                catalog.readSql(
                    c -> {
                      try (var st =
                          c.prepareStatement("SELECT text FROM captions WHERE item_id = ?")) {
                        st.setLong(1, id);
                        try (var rs = st.executeQuery()) {
                          return rs.next() ? rs.getString(1) : null;
                        }
                      }
                    }))
        .toList();
  }

  @Test
  void findsCaptionsByTheirWordsBestFirstAndKeepsInStepWithDeletes() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long red = image(catalog);
      long dog = image(catalog);
      long both = image(catalog);
      caption(catalog, red, "a big red circle on white");
      caption(catalog, dog, "two dogs running on a beach");
      caption(catalog, both, "a red dog");
      CaptionWords words = new CaptionWords(catalog);

      assertThat(texts(catalog, words.match(List.of("big red circle"), List.of(), 10)))
          .containsExactly("a big red circle on white", "a red dog");
      // Stemming and case: "Dog" finds "dogs".
      assertThat(texts(catalog, words.match(List.of("Dog"), List.of(), 10)))
          .containsExactlyInAnyOrder("two dogs running on a beach", "a red dog");
      assertThat(texts(catalog, words.match(List.of("dog"), List.of("red"), 10)))
          .containsExactly("two dogs running on a beach");
      assertThat(words.match(List.of("red"), List.of(), 1)).hasSize(1);

      // Deleting the image deletes its captions (a cascade): the index forgets them.
      catalog.writeSql(
          c -> c.createStatement().executeUpdate("DELETE FROM items WHERE id = " + red));
      assertThat(texts(catalog, words.match(List.of("circle red"), List.of(), 10)))
          .containsExactly("a red dog");
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void userTextIsNeverReadAsQuerySyntax() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      caption(catalog, image(catalog), "NEAR the \"old\" mill AND river");
      CaptionWords words = new CaptionWords(catalog);

      assertThat(words.match(List.of("NEAR(\"old\" * OR"), List.of(), 10)).hasSize(1);
      assertThat(words.match(List.of("-- ; ' \" ( )"), List.of(), 10)).isEmpty();
      assertThat(words.match(List.of(), List.of("mill"), 10)).isEmpty();
      assertThat(words.match(List.of("the AND"), List.of(), 10)).isEmpty(); // stop words only
      assertThat(
              CaptionWords.expression(
                  CaptionWords.words(List.of("Mill's")), CaptionWords.words(List.of("river"))))
          .isEqualTo("(\"mill\" OR \"s\") NOT (\"river\")");
    }
  }

  @Test
  void wordsInMoreCaptionsThanTheLimitAreNotLookedFor() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long image = image(catalog);
      caption(catalog, image, "red dog");
      caption(catalog, image, "red cat");
      caption(catalog, image, "red fox");
      CaptionWords atTwo = new CaptionWords(catalog, 2);

      // "red" is in three captions: only "fox" is looked for.
      assertThat(texts(catalog, atTwo.match(List.of("red fox"), List.of(), 10)))
          .containsExactly("red fox");
      assertThat(atTwo.match(List.of("red"), List.of(), 10)).isEmpty();
      assertThat(new CaptionWords(catalog, 3).match(List.of("red"), List.of(), 10)).hasSize(3);
    }
  }

  @Test
  void upgradingAVersionThreeLibraryIndexesTheCaptionsItHas() throws Exception {
    Path file = tmp.resolve("v3.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA foreign_keys = ON");
      for (String migration : Catalog.MIGRATIONS.subList(0, 3)) {
        try (var in = Catalog.class.getResourceAsStream(migration)) {
          for (String statement :
              SqlScript.split(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
            st.execute(statement);
          }
        }
      }
      st.execute("PRAGMA user_version = 3");
      st.execute(
          "INSERT INTO items (id, kind, created_at) VALUES (1, 'image', 1), (2, 'caption', 1)");
      st.execute(
          "INSERT INTO captions (item_id, image_id, source, text, text_hash)"
              + " VALUES (2, 1, 'csv', 'grinning face with big eyes', 'h')");
    }
    byte[] before = Files.readAllBytes(file);

    // Read-only, an old library is searched without the index, and never upgraded.
    try (Catalog old = Catalog.openReadOnly(file)) {
      assertThat(old.version()).isEqualTo(3);
      assertThat(new CaptionWords(old).match(List.of("grinning"), List.of(), 10)).isEmpty();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);

    try (Catalog upgraded = Catalog.open(file)) {
      assertThat(upgraded.version()).isEqualTo(Catalog.schemaVersion()).isGreaterThanOrEqualTo(5);
      CaptionWords words = new CaptionWords(upgraded);
      assertThat(words.match(List.of("big grin face"), List.of(), 10)).containsExactly(2L);
      caption(upgraded, 1, "a smiling face");
      assertThat(words.match(List.of("face"), List.of(), 10)).hasSize(2);
      assertThat(upgraded.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void generatedCaptionedItemsAreNumberedInTurnAndIndexed() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long[] first = catalog.write(tx -> tx.captions().addGenerated(List.of("red fox", "blue")));
      long[] next = catalog.write(tx -> tx.captions().addGenerated(List.of("red hen")));

      assertThat(first).containsExactly(2L, 4L);
      assertThat(next).containsExactly(6L);
      assertThat(new ItemStore(catalog).captions())
          .extracting(ItemStore.CaptionItem::id, ItemStore.CaptionItem::imageId)
          .containsExactly(tuple(2L, 1L), tuple(4L, 3L), tuple(6L, 5L));
      assertThat(new CaptionWords(catalog).match(List.of("red"), List.of(), 10))
          .containsExactlyInAnyOrder(2L, 6L);
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void aTriggerBodyStaysOneStatement() {
    assertThat(
            SqlScript.split(
                "CREATE TABLE t (a);\n"
                    + "CREATE TRIGGER t_i AFTER INSERT ON t BEGIN\n"
                    + "  INSERT INTO u VALUES (1);\n  INSERT INTO u VALUES (';');\nEND;\n"
                    + "DROP TABLE t;"))
        .hasSize(3)
        .element(1)
        .asString()
        .endsWith("END");
  }
}

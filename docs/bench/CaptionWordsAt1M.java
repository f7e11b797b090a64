// What matching a query's words costs at a million captions: a library made by Catalog.open
// (schema 5: the FTS5 table and its triggers) is filled with 1,000,000 generated captions (6-15
// words each from a 20,000-word vocabulary, Zipf-like: a few words in most captions), then
// store.CaptionWords.match (the query service's word ranking, top 100) is timed for 200 queries of
// 3 words each: rare words, words drawn as the captions' are (mixed), and the 20 most common.
// Run from a build of this commit (the library is written to the given file, then kept):
//   $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
//     -cp "desktop-app/target/desktop-app-0.1.0-SNAPSHOT.jar:$(cat desktop-app/target/classpath.txt)" \
//     docs/bench/CaptionWordsAt1M.java /tmp/words-1m.sqlite
import app.tessera.engine.store.CaptionWords;
import app.tessera.engine.store.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

public class CaptionWordsAt1M {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int n = 1_000_000;
    int vocab = 20_000;
    Random random = new Random(1);
    String[] words = new String[vocab];
    for (int i = 0; i < vocab; i++) {
      StringBuilder b = new StringBuilder();
      for (int j = 3 + random.nextInt(6); j > 0; j--) {
        b.append((char) ('a' + random.nextInt(26)));
      }
      words[i] = b.toString();
    }
    boolean fresh = !Files.exists(file);
    try (Catalog catalog = Catalog.open(file)) {
      if (fresh) {
        long start = System.nanoTime();
        catalog.writeSql(
            c -> {
              try (PreparedStatement item =
                      c.prepareStatement("INSERT INTO items (id, kind, created_at) VALUES (?, ?, 0)");
                  PreparedStatement caption =
                      c.prepareStatement(
                          "INSERT INTO captions (item_id, image_id, source, text, text_hash)"
                              + " VALUES (?, ?, 'csv', ?, ?)")) {
                for (int i = 1; i <= n; i++) {
                  item.setLong(1, 2L * i - 1);
                  item.setString(2, "image");
                  item.addBatch();
                  item.setLong(1, 2L * i);
                  item.setString(2, "caption");
                  item.addBatch();
                  StringBuilder text = new StringBuilder();
                  for (int j = 6 + random.nextInt(10); j > 0; j--) {
                    text.append(words[(int) (Math.pow(random.nextDouble(), 3) * vocab)]).append(' ');
                  }
                  caption.setLong(1, 2L * i);
                  caption.setLong(2, 2L * i - 1);
                  caption.setString(3, text.toString().strip());
                  caption.setString(4, Integer.toString(i));
                  caption.addBatch();
                  if (i % 10_000 == 0) {
                    item.executeBatch();
                    caption.executeBatch();
                  }
                }
              }
              return null;
            });
        System.out.printf("filled %d captions in %.0f s%n", n, (System.nanoTime() - start) / 1e9);
      }
      CaptionWords captionWords = new CaptionWords(catalog);
      Random queries = new Random(7);
      for (String kind : new String[] {"rare", "mixed", "common"}) {
        double[] ms = new double[200];
        for (int q = -20; q < ms.length; q++) { // 20 warm-up queries
          List<String> text = new ArrayList<>();
          for (int j = 0; j < 3; j++) {
            int w =
                switch (kind) {
                  case "rare" -> vocab / 2 + queries.nextInt(vocab / 2);
                  case "common" -> queries.nextInt(20);
                  default -> (int) (Math.pow(queries.nextDouble(), 3) * vocab);
                };
            text.add(words[w]);
          }
          long start = System.nanoTime();
          int found = captionWords.match(List.of(String.join(" ", text)), List.of(), 100).size();
          if (q >= 0) {
            ms[q] = (System.nanoTime() - start) / 1e6;
          }
        }
        Arrays.sort(ms);
        System.out.printf(
            "%-6s words: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n", kind, ms[100], ms[180], ms[198]);
      }
    }
  }
}

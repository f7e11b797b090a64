package app.tessera.spark.bench;

import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.ModelStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares the job's output with a library indexed and coded by {@code tessera} from the same files
 * (docs/scale-out.md): every image and caption code, by fingerprint and caption text. Usage: {@code
 * CompareWithLibrary OUT LIBRARY MODEL_NAME}.
 */
public final class CompareWithLibrary {
  private CompareWithLibrary() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    List<Row> rows = spark.read().parquet(args[0]).filter("outcome = 'ok'").collectAsList();
    try (Catalog catalog = Catalog.open(Path.of(args[1]))) {
      ModelStore.Model model =
          new ModelStore(catalog)
              .list().stream().filter(m -> m.name().equals(args[2])).findFirst().orElseThrow();
      CodeStore.Codes codes = new CodeStore(catalog).load(model.id());
      Map<Long, Long> code = new HashMap<>();
      for (int i = 0; i < codes.size(); i++) {
        code.put(codes.itemIds()[i], codes.codes()[i]); // 64 bits: one word
      }
      ItemStore items = new ItemStore(catalog);
      Map<String, Long> byFingerprint = new HashMap<>();
      items.images().forEach(i -> byFingerprint.put(i.fingerprint(), i.id()));
      Map<String, Long> captionCode = new HashMap<>();
      items.captions().forEach(c -> captionCode.put(c.text(), code.get(c.id())));
      int images = 0, imageDiff = 0, captions = 0, captionDiff = 0, unknown = 0;
      for (Row r : rows) {
        Long item = byFingerprint.get(r.<String>getAs("fingerprint"));
        if (item == null) {
          unknown++;
          continue;
        }
        long job = firstWord(r, args[2]);
        images++;
        if (job != code.get(item)) {
          imageDiff++;
        }
        for (Row c : r.<Row>getList(r.fieldIndex("captions"))) {
          Long local = captionCode.get(c.<String>getAs("text"));
          long jobCaption = firstWord(c, args[2]);
          captions++;
          if (local == null || local != jobCaption) {
            captionDiff++;
          }
        }
      }
      System.out.printf(
          "COMPARE rows=%d images=%d imageCodesDiffering=%d captions=%d captionCodesDiffering=%d unknownFingerprints=%d%n",
          rows.size(), images, imageDiff, captions, captionDiff, unknown);
    }
    spark.stop();
  }

  /** The first word of a row's code for {@code model} (64-bit codes are one word). */
  private static long firstWord(Row row, String model) {
    scala.collection.Seq<?> words =
        (scala.collection.Seq<?>) row.getJavaMap(row.fieldIndex("codes")).get(model);
    return (Long) words.apply(0);
  }
}

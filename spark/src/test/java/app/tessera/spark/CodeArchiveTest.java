package app.tessera.spark;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.ingest.CaptionImporter;
import app.tessera.engine.ingest.IndexListener;
import app.tessera.engine.ingest.IndexOptions;
import app.tessera.engine.ingest.IndexReport;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.library.LibraryCoder;
import app.tessera.engine.library.ModelBundle;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.LibraryRecords;
import app.tessera.engine.store.StoredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a local[2] Spark session against the engine on the same files: {@code tessera index} +
 * coding (Indexer + LibraryCoder) and {@code tessera import-captions} (CaptionImporter) must store
 * exactly what the job writes, bit for bit, with the shipped default model bundle.
 */
class CodeArchiveTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static Path bundleDir;

  @BeforeAll
  static void start() throws Exception {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("tessera-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    bundleDir =
        ModelBundle.unpack(
            CodeArchiveTest.class, "/app/tessera/models/default", dir.resolve("bundle"));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void codesAFolderExactlyAsIndexAndCodingDo() throws Exception {
    Path archive = TestArchive.write(Files.createDirectories(dir.resolve("archive")));
    Path out = dir.resolve("codes");
    CodeArchive.Summary summary =
        CodeArchive.run(
            spark,
            new JobOptions(
                List.of(archive.toString()),
                List.of(),
                List.of(bundleDir.toString()),
                out.toString(),
                true,
                true,
                3,
                8,
                Device.CPU,
                false));
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertThat(summary.coded()).isEqualTo(22);
    assertThat(summary.failed()).isEqualTo(3);
    assertThat(Files.exists(out.resolve(CodeArchive.JOB_FILE))).isTrue();

    try (Catalog catalog = Catalog.open(dir.resolve("folder.sqlite"));
        ModelBundle bundle = ModelBundle.open(bundleDir, Device.CPU)) {
      IndexReport report =
          new Indexer(catalog, IndexOptions.defaults().withThreads(2).withLabelsFromFolders(true))
              .index(List.of(archive), IndexListener.NONE);
      LibraryCoder.Result coding = LibraryCoder.update(catalog, bundle, line -> {});
      Local local = Local.read(catalog, coding.modelId());
      String model = bundle.manifest().name();
      int words = BinaryCodes.wordsPerCode(bundle.hashModel().bits());

      // Failures: the same files, for the same reasons.
      Map<String, String> failed = new TreeMap<>();
      for (Row r : rows) {
        if (r.getAs("outcome").equals("failed")) {
          failed.put(localPath(r.getAs("path")), r.getAs("failure"));
        }
      }
      Map<String, String> indexFailed = new TreeMap<>();
      report.failures().forEach(f -> indexFailed.put(f.path(), f.reason()));
      assertThat(failed).hasSize(3).isEqualTo(indexFailed);

      // Every file: same fingerprint, size and mtime as the catalogue's file row.
      Map<String, List<Row>> byFingerprint = new HashMap<>();
      for (Row r : rows) {
        if (r.getAs("outcome").equals("ok")) {
          LibraryRecords.FileRow file = local.files.get(localPath(r.getAs("path")));
          assertThat(file).as(r.<String>getAs("path")).isNotNull();
          assertThat(r.<String>getAs("fingerprint")).isEqualTo(file.fingerprint());
          assertThat(r.<Long>getAs("size")).isEqualTo(file.size());
          assertThat(r.<Long>getAs("mtime_ns")).isEqualTo(file.mtimeNs());
          byFingerprint.computeIfAbsent(file.fingerprint(), k -> new ArrayList<>()).add(r);
        }
      }
      assertThat(byFingerprint).hasSize(21).hasSameSizeAs(local.images); // one photo twice

      int captionCodes = 0;
      for (ItemStore.ImageItem image : local.images) {
        List<Row> files = byFingerprint.get(image.fingerprint());
        assertThat(files).as(image.path().toString()).isNotNull();
        Row first = files.getFirst();
        // Same image row, thumbnail and model input, byte for byte.
        assertThat(first.<String>getAs("format")).isEqualTo(image.format());
        assertThat(first.<Integer>getAs("width")).isEqualTo(image.width());
        assertThat(first.<Integer>getAs("height")).isEqualTo(image.height());
        StoredImage thumbnail = stored(first.getAs("thumbnail"));
        StoredImage modelInput =
            first.isNullAt(first.fieldIndex("model_input"))
                ? thumbnail
                : stored(first.getAs("model_input"));
        assertThat(thumbnail.sameAs(local.items.thumbnail(image.id()).orElseThrow())).isTrue();
        assertThat(modelInput.sameAs(local.items.modelInput(image.id()).orElseThrow())).isTrue();
        // Same image code, and the features it was hashed from.
        assertThat(codes(first).get(model)).containsExactly(local.code(image.id(), words));
        assertThat(features(first).get(bundle.imageEncoder().id()))
            .containsExactly(local.features(bundle.imageEncoder().id(), image.id()));

        // Captions: the catalogue's captions of the item are those of its files, with their codes.
        Set<String> jobCaptions = new TreeSet<>();
        Map<String, long[]> jobCaptionCodes = new HashMap<>();
        List<Set<String>> jobLabels = new ArrayList<>();
        for (Row file : files) {
          for (Row caption : file.<Row>getList(file.fieldIndex("captions"))) {
            String key = caption.getAs("source") + "|" + caption.getAs("text");
            jobCaptions.add(key);
            jobCaptionCodes.put(key, codes(caption).get(model));
          }
          Set<String> labels = new TreeSet<>();
          for (Row label : file.<Row>getList(file.fieldIndex("labels"))) {
            labels.add(label.getAs("source") + "|" + label.getAs("name"));
          }
          jobLabels.add(labels);
        }
        Set<String> localCaptions = new TreeSet<>();
        for (ItemStore.CaptionItem caption : local.items.captionsOf(image.id())) {
          String key = caption.source() + "|" + caption.text();
          localCaptions.add(key);
          assertThat(jobCaptionCodes.get(key))
              .as(key)
              .containsExactly(local.code(caption.id(), words));
          captionCodes++;
        }
        assertThat(jobCaptions).isEqualTo(localCaptions);
        // Captions are kept per file; an item's file-derived labels are those of the file the
        // index wrote last (a copy's folder label replaces the original's), so with copies the
        // catalogue holds the labels of one of the item's files.
        assertThat(jobLabels).contains(local.labels.getOrDefault(image.id(), Set.of()));
      }
      // Not vacuous: captions of every kind, labels from XMP and folders, each coded.
      assertThat(captionCodes).isEqualTo(coding.captionsEncoded()).isEqualTo(17);
      assertThat(local.labels.values().stream().flatMap(Set::stream))
          .contains("xmp|coast", "folder|trips", "folder|icons", "folder|scans");
    }
  }

  @Test
  void readsCaptionsLabelsAndAttributesFromAManifest() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("dataset/images"));
    List<String> lines = new ArrayList<>(List.of("\uFEFFid,image,caption,labels,split"));
    for (int i = 0; i < 6; i++) {
      javax.imageio.ImageIO.write(
          TestArchive.icon(48, 48, i, i % 2 == 0),
          "png",
          folder.resolve("e" + i + ".png").toFile());
      String caption = "a " + TestArchive.COLOURS[i % 4] + " " + TestArchive.SHAPES[i % 3];
      lines.add(
          i
              + ",images/e"
              + i
              + ".png,\""
              + caption
              + ", \"\"quoted\"\"\",shapes;colour-"
              + i % 4
              + ","
              + (i < 4 ? "train" : "query"));
    }
    lines.add("6,images/e0.png,a second caption for e0,extra,train"); // two rows, one image
    lines.add("7,images/missing.png,nothing here,,query");
    Path manifest = dir.resolve("dataset/manifest.csv");
    Files.write(manifest, lines);
    Path out = dir.resolve("manifest-codes");
    CodeArchive.run(
        spark,
        new JobOptions(
            List.of(),
            List.of(manifest.toString()),
            List.of(bundleDir.toString()),
            out.toString(),
            false,
            false,
            2,
            4,
            Device.CPU,
            false));
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();

    try (Catalog catalog = Catalog.open(dir.resolve("manifest.sqlite"));
        ModelBundle bundle = ModelBundle.open(bundleDir, Device.CPU)) {
      CaptionImporter.Report imported =
          new CaptionImporter(catalog, IndexOptions.defaults().withThreads(2))
              .importCsv(manifest, true, IndexListener.NONE);
      assertThat(imported.captionsAdded()).isEqualTo(7);
      LibraryCoder.Result coding = LibraryCoder.update(catalog, bundle, line -> {});
      Local local = Local.read(catalog, coding.modelId());
      String model = bundle.manifest().name();
      int words = BinaryCodes.wordsPerCode(bundle.hashModel().bits());
      Map<Long, String> split = local.items.attribute("split");
      Map<Long, String> id = local.items.attribute("id");

      int ok = 0;
      for (Row r : rows) {
        String path = localPath(r.getAs("path"));
        if (r.getAs("outcome").equals("failed")) {
          assertThat(path).endsWith("missing.png");
          assertThat(r.<String>getAs("failure")).isEqualTo("no such file");
          continue;
        }
        ok++;
        long item = local.files.get(path).itemId();
        assertThat(codes(r).get(model)).containsExactly(local.code(item, words));
        Map<String, long[]> captionCodes = new HashMap<>();
        for (Row caption : r.<Row>getList(r.fieldIndex("captions"))) {
          assertThat(caption.<String>getAs("source")).isEqualTo("csv");
          captionCodes.put(caption.getAs("text"), codes(caption).get(model));
        }
        Map<String, long[]> localCodes = new HashMap<>();
        for (ItemStore.CaptionItem caption : local.items.captionsOf(item)) {
          localCodes.put(caption.text(), local.code(caption.id(), words));
        }
        assertThat(captionCodes).containsOnlyKeys(localCodes.keySet());
        localCodes.forEach(
            (text, code) -> assertThat(captionCodes.get(text)).containsExactly(code));
        Set<String> labels = new TreeSet<>();
        for (Row label : r.<Row>getList(r.fieldIndex("labels"))) {
          labels.add(label.getAs("source") + "|" + label.getAs("name"));
        }
        assertThat(labels).isEqualTo(local.labels.get(item));
        Map<String, String> attributes = r.getJavaMap(r.fieldIndex("attributes"));
        assertThat(attributes)
            .containsEntry("split", split.get(item))
            .containsEntry("id", id.get(item));
      }
      assertThat(ok).isEqualTo(6);
    }
  }

  /** What the engine stored for a library. */
  private record Local(
      ItemStore items,
      List<ItemStore.ImageItem> images,
      Map<String, LibraryRecords.FileRow> files,
      Map<Long, Set<String>> labels,
      CodeStore.Codes codes,
      Map<Long, Integer> codeRow,
      Catalog catalog) {
    static Local read(Catalog catalog, long modelId) {
      ItemStore items = new ItemStore(catalog);
      Map<String, LibraryRecords.FileRow> files = new HashMap<>();
      Map<Long, Set<String>> labels = new HashMap<>();
      catalog.read(
          c -> {
            for (LibraryRecords.Root root : LibraryRecords.roots(c)) {
              for (LibraryRecords.FileRow f : LibraryRecords.files(c, root.id()).values()) {
                if (f.itemId() != null) {
                  files.put(Path.of(root.path()).resolve(f.relPath()).toString(), f);
                }
              }
            }
            try (PreparedStatement st =
                    c.prepareStatement(
                        "SELECT il.item_id, il.source, l.name FROM item_labels il"
                            + " JOIN labels l ON l.id = il.label_id");
                ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                labels
                    .computeIfAbsent(rs.getLong(1), k -> new HashSet<>())
                    .add(rs.getString(2) + "|" + rs.getString(3));
              }
            }
            return null;
          });
      CodeStore.Codes codes = new CodeStore(catalog).load(modelId);
      Map<Long, Integer> codeRow = new HashMap<>();
      for (int i = 0; i < codes.size(); i++) {
        codeRow.put(codes.itemIds()[i], i);
      }
      return new Local(items, items.images(), files, labels, codes, codeRow, catalog);
    }

    long[] code(long itemId, int words) {
      int row = codeRow.get(itemId);
      return Arrays.copyOfRange(codes.codes(), row * words, (row + 1) * words);
    }

    float[] features(String encoder, long itemId) {
      return new app.tessera.engine.store.FeatureStore(catalog)
          .get(encoder, new long[] {itemId})
          .get(itemId);
    }
  }

  private static String localPath(String uri) {
    return new org.apache.hadoop.fs.Path(uri).toUri().getPath();
  }

  private static StoredImage stored(Row r) {
    return new StoredImage(
        r.getAs("width"), r.getAs("height"), r.getAs("format"), r.getAs("bytes"));
  }

  private static Map<String, long[]> codes(Row r) {
    Map<String, long[]> out = new HashMap<>();
    Map<String, scala.collection.Seq<Object>> map = r.getJavaMap(r.fieldIndex("codes"));
    map.forEach(
        (model, seq) -> {
          long[] words = new long[seq.length()];
          for (int i = 0; i < words.length; i++) {
            words[i] = (Long) seq.apply(i);
          }
          out.put(model, words);
        });
    return out;
  }

  private static Map<String, float[]> features(Row r) {
    Map<String, float[]> out = new HashMap<>();
    Map<String, scala.collection.Seq<Object>> map = r.getJavaMap(r.fieldIndex("features"));
    map.forEach(
        (encoder, seq) -> {
          float[] values = new float[seq.length()];
          for (int i = 0; i < values.length; i++) {
            values[i] = (Float) seq.apply(i);
          }
          out.put(encoder, values);
        });
    return out;
  }
}

package app.tessera.spark;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.Cancellation;
import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.Device;
import app.tessera.engine.Hashes;
import app.tessera.engine.IndexListener;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.store.StoredImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The job on a local[2] Spark session against the engine on the same files: {@code tessera index} +
 * coding and {@code tessera import-captions} + coding must store exactly what the job writes, bit
 * for bit, with the shipped default model bundle.
 */
class CodeArchiveTest {
  @Test
  void codesAFolderExactlyAsIndexAndCodingDo() throws Exception {
    Path out = JobFixture.output();
    List<Row> rows = JobFixture.spark().read().parquet(out.toString()).collectAsList();
    assertThat(Files.exists(out.resolve(CodeArchive.JOB_FILE))).isTrue();
    LibraryContents local = LibraryContents.read(JobFixture.localLibrary());
    String model;
    String imageEncoder;
    try (ModelBundle bundle = ModelBundle.open(JobFixture.bundleDir(), Device.CPU)) {
      model = bundle.manifest().name();
      imageEncoder = bundle.imageEncoder().id();
    }

    // Failures: the same files, for the same reasons.
    Map<String, String> failed = new TreeMap<>();
    for (Row r : rows) {
      if (r.getAs("outcome").equals("failed")) {
        failed.put(localPath(r.getAs("path")), r.getAs("failure"));
      }
    }
    Map<String, String> indexFailed = new TreeMap<>();
    local
        .files()
        .forEach(
            (path, f) -> {
              if (f.failure() != null) {
                indexFailed.put(path, f.failure());
              }
            });
    assertThat(failed).hasSize(3).isEqualTo(indexFailed);

    // Every file: same fingerprint, size, mtime and sidecar stamp as the catalogue's file row.
    Map<String, List<Row>> byFingerprint = new HashMap<>();
    for (Row r : rows) {
      if (r.getAs("outcome").equals("ok")) {
        LibraryContents.FileInfo file = local.files().get(localPath(r.getAs("path")));
        assertThat(file).as(r.<String>getAs("path")).isNotNull();
        assertThat(r.<String>getAs("fingerprint")).isEqualTo(file.fingerprint());
        assertThat(r.<Long>getAs("size")).isEqualTo(file.size());
        assertThat(r.<Long>getAs("mtime_ns")).isEqualTo(file.mtimeNs());
        assertThat(r.<Long>getAs("sidecar_stamp")).isEqualTo(file.sidecarStamp());
        byFingerprint.computeIfAbsent(file.fingerprint(), k -> new ArrayList<>()).add(r);
      }
    }
    assertThat(byFingerprint).hasSize(21).hasSameSizeAs(local.images()); // one photo twice

    int captionCodes = 0;
    for (String image : local.images().keySet()) {
      List<Row> files = byFingerprint.get(image);
      assertThat(files).as(image).isNotNull();
      Row first = files.getFirst();
      // Same image row, thumbnail and model input, byte for byte.
      assertThat(local.images().get(image))
          .endsWith(
              " "
                  + first.<String>getAs("format")
                  + " "
                  + first.<Integer>getAs("width")
                  + "x"
                  + first.<Integer>getAs("height"));
      StoredImage thumbnail = stored(first.getAs("thumbnail"));
      StoredImage modelInput =
          first.isNullAt(first.fieldIndex("model_input"))
              ? thumbnail
              : stored(first.getAs("model_input"));
      assertThat(LibraryContents.describe(thumbnail)).isEqualTo(local.thumbnails().get(image));
      assertThat(LibraryContents.describe(modelInput)).isEqualTo(local.modelInput(image));
      // Same image code, and the features it was hashed from.
      assertThat(hex(codes(first).get(model))).isEqualTo(local.codes().get(model + " | " + image));
      assertThat(sha(features(first).get(imageEncoder)))
          .isEqualTo(local.features().get(imageEncoder + " | " + image));

      // Captions: the catalogue's captions of the item are those of its files, with their codes.
      Map<String, String> jobCaptions = new TreeMap<>();
      List<Set<String>> jobLabels = new ArrayList<>();
      for (Row file : files) {
        for (Row caption : file.<Row>getList(file.fieldIndex("captions"))) {
          String key = image + " | " + caption.getAs("source") + " | " + caption.getAs("text");
          jobCaptions.put(key, hex(codes(caption).get(model)));
        }
        jobLabels.add(labels(file));
      }
      assertThat(jobCaptions.keySet()).isEqualTo(local.captionKeys(image));
      for (String key : local.captionKeys(image)) {
        assertThat(jobCaptions.get(key)).as(key).isEqualTo(local.codes().get(model + " | " + key));
        captionCodes++;
      }
      // Captions and labels are kept per file; an item has the labels of all its files (a copy
      // adds its folder's label to the original's: docs/decisions/0011-damaged-catalogues-and-
      // backups.md, labels per file).
      Set<String> union = new java.util.TreeSet<>();
      jobLabels.forEach(union::addAll);
      assertThat(union).isEqualTo(local.labels().getOrDefault(image, Set.of()));
    }
    // Not vacuous: captions of every kind, labels from XMP and folders, each coded.
    assertThat(captionCodes).isEqualTo(17);
    assertThat(local.labels().values().stream().flatMap(Set::stream))
        .contains("xmp|coast", "folder|trips", "folder|icons", "folder|scans");
  }

  @Test
  void readsCaptionsLabelsAndAttributesFromAManifest() throws Exception {
    Path folder = Files.createDirectories(JobFixture.dir().resolve("dataset/images"));
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
    // A copy of e0 (one content, two files) whose row disagrees: the first row's values stand.
    Files.copy(folder.resolve("e0.png"), folder.resolve("e6.png"));
    lines.add("8,images/e6.png,the same circle again,copies,query");
    Path manifest = JobFixture.dir().resolve("dataset/manifest.csv");
    Files.write(manifest, lines);
    Path out = JobFixture.dir().resolve("manifest-codes");
    CodeArchive.run(
        JobFixture.spark(),
        new JobOptions(
            List.of(),
            List.of(manifest.toString()),
            List.of(JobFixture.bundleDir().toString()),
            out.toString(),
            false,
            false,
            2,
            4,
            Device.CPU,
            false));
    List<Row> rows = JobFixture.spark().read().parquet(out.toString()).collectAsList();

    Path file = JobFixture.dir().resolve("manifest.sqlite");
    String model;
    try (Library library = Library.open(file);
        ModelBundle bundle = ModelBundle.open(JobFixture.bundleDir(), Device.CPU)) {
      CaptionImportReport imported = library.importCaptions(manifest, true, IndexListener.NONE);
      assertThat(imported.captionsAdded()).isEqualTo(8);
      library.code(bundle, new Cancellation(), line -> {});
      model = bundle.manifest().name();
    }
    LibraryContents local = LibraryContents.read(file);
    Map<String, List<Row>> byContent = new TreeMap<>();
    for (Row r : rows) {
      String path = localPath(r.getAs("path"));
      if (r.getAs("outcome").equals("failed")) {
        assertThat(path).endsWith("missing.png");
        assertThat(r.<String>getAs("failure")).isEqualTo("no such file");
        continue;
      }
      String image = local.files().get(path).item();
      assertThat(hex(codes(r).get(model))).isEqualTo(local.codes().get(model + " | " + image));
      byContent.computeIfAbsent(image, k -> new ArrayList<>()).add(r);
    }
    assertThat(byContent).hasSize(6); // e0 and e6 are one content
    for (Map.Entry<String, List<Row>> content : byContent.entrySet()) {
      String image = content.getKey();
      Map<String, String> captionCodes = new TreeMap<>();
      Set<String> labels = new TreeSet<>();
      Row first = content.getValue().getFirst();
      for (Row r : content.getValue()) {
        for (Row caption : r.<Row>getList(r.fieldIndex("captions"))) {
          assertThat(caption.<String>getAs("source")).isEqualTo("csv");
          captionCodes.put(
              image + " | csv | " + caption.getAs("text"), hex(codes(caption).get(model)));
        }
        labels.addAll(labels(r));
        if (r.<Long>getAs("manifest_row") < first.<Long>getAs("manifest_row")) {
          first = r;
        }
      }
      assertThat(captionCodes.keySet()).isEqualTo(local.captionKeys(image));
      captionCodes.forEach(
          (key, code) -> assertThat(local.codes().get(model + " | " + key)).isEqualTo(code));
      assertThat(labels).isEqualTo(local.labels().get(image));
      Map<String, String> attributes = first.getJavaMap(first.fieldIndex("attributes"));
      assertThat(attributes).containsKeys("split", "id");
      for (Map.Entry<String, String> a : attributes.entrySet()) {
        assertThat(local.attributes()).contains(image + " | " + a.getKey() + "=" + a.getValue());
      }
    }

    // And import-codes of that output gives the library import-captions + coding made.
    Path imported = JobFixture.dir().resolve("manifest-imported.sqlite");
    ImportCodes.run(
        List.of(out.toString()),
        imported,
        List.of(),
        ImportCodes.BATCH,
        IndexListener.NONE,
        new Cancellation());
    LibraryContents mine = LibraryContents.read(imported);
    assertThat(mine.files()).hasSize(7).isEqualTo(local.files());
    assertThat(mine.images()).isEqualTo(local.images());
    assertThat(mine.thumbnails()).isEqualTo(local.thumbnails());
    assertThat(mine.captions()).hasSize(8).isEqualTo(local.captions());
    assertThat(mine.labels()).isEqualTo(local.labels());
    assertThat(mine.attributes())
        .isEqualTo(local.attributes())
        .contains(
            byContent.keySet().stream()
                    .filter(k -> byContent.get(k).size() == 2)
                    .findFirst()
                    .orElseThrow()
                + " | split=train");
    assertThat(mine.codes()).isEqualTo(local.codes());
  }

  static Set<String> labels(Row file) {
    Set<String> labels = new TreeSet<>();
    for (Row label : file.<Row>getList(file.fieldIndex("labels"))) {
      labels.add(label.getAs("source") + "|" + label.getAs("name"));
    }
    return labels;
  }

  static String hex(long[] code) {
    StringBuilder hex = new StringBuilder();
    for (long word : code) {
      hex.append(String.format("%016x", word));
    }
    return hex.toString();
  }

  /** The SHA-256 of a vector as the catalogue stores it (little-endian float32). */
  static String sha(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Hashes.sha256(bytes.array());
  }

  static String localPath(String uri) {
    return new org.apache.hadoop.fs.Path(uri).toUri().getPath();
  }

  static StoredImage stored(Row r) {
    return new StoredImage(
        r.getAs("width"), r.getAs("height"), r.getAs("format"), r.getAs("bytes"));
  }

  static Map<String, long[]> codes(Row r) {
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

  static Map<String, float[]> features(Row r) {
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

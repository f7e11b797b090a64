package app.tessera.engine.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.PruneReport;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.ImageContent;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.ModelStore;
import app.tessera.engine.store.StoredImage;
import app.tessera.engine.store.Transaction;
import java.awt.Color;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moves, edits, vanished files, unplugged roots, re-scans, prune and unreadable folders. */
class LibraryLifecycleTest {
  @TempDir Path tmp;

  /** 3 folders x 4 images, each with a caption sidecar. */
  private Path corpus() throws Exception {
    Path root = tmp.resolve("photos");
    for (int f = 0; f < 3; f++) {
      for (int i = 0; i < 4; i++) {
        Path dir = root.resolve("album" + f);
        TestImages.write(
            dir.resolve("img" + i + ".jpg"), TestImages.jpeg(TestImages.noise(48, 32, f * 10 + i)));
        TestImages.write(
            dir.resolve("img" + i + ".txt"),
            ("caption " + f + "/" + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    return root;
  }

  @Test
  void unchangedFilesAreSkippedWithoutDecoding() throws Exception {
    Path root = corpus();
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      IndexReport first = Libraries.index(catalog, root);
      assertThat(first.added()).isEqualTo(12);
      Libraries.Recorder again = new Libraries.Recorder();
      IndexReport second = Libraries.index(catalog, again, root);
      assertThat(second.unchanged()).isEqualTo(12);
      assertThat(second.added() + second.updated() + second.moved()).isZero();
      assertThat(again.decodes.get()).isZero();
      // Re-scanning all roots (no path given) does the same.
      IndexReport all = new Indexer(catalog, IngestOptions.defaults()).index(List.of(), again);
      assertThat(all.unchanged()).isEqualTo(12);
    }
  }

  @Test
  void movedFolderKeepsItemsCaptionsLabelsAndCodesWithoutDecoding() throws Exception {
    Path root = corpus();
    Path csv = root.resolve("captions.csv");
    Files.writeString(
        csv,
        "image,caption,labels,split\nalbum1/img0.jpg,\"a moved, quoted caption\",cat;pet,train\n");
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      new CaptionImporter(catalog, IngestOptions.defaults())
          .importCsv(csv, false, IndexListener.NONE);
      long item =
          Libraries.count(catalog, "SELECT item_id FROM files WHERE rel_path = 'album1/img0.jpg'");
      ModelStore models = new ModelStore(catalog);
      long model =
          models.add(
              new ModelStore.Model(0, "m", "test", 16, "img", "txt", null, null, 0, null, null));
      new CodeStore(catalog).put(model, new long[] {item}, new long[] {0xBEEFL}, 16);
      List<String> before =
          Libraries.query(
              catalog, "SELECT text FROM captions WHERE image_id = ? ORDER BY text", item);

      Files.createDirectories(root.resolve("renamed"));
      Files.move(root.resolve("album1"), root.resolve("renamed/album1-moved"));
      Libraries.Recorder recorder = new Libraries.Recorder();
      IndexReport report = Libraries.index(catalog, recorder, root);

      assertThat(report.moved()).isEqualTo(4);
      assertThat(report.unchanged()).isEqualTo(8);
      assertThat(report.added() + report.missing() + report.failed()).isZero();
      assertThat(recorder.decodes.get()).isZero();
      assertThat(
              Libraries.count(
                  catalog,
                  "SELECT item_id FROM files WHERE rel_path = 'renamed/album1-moved/img0.jpg'"))
          .isEqualTo(item);
      assertThat(
              Libraries.query(
                  catalog, "SELECT text FROM captions WHERE image_id = ? ORDER BY text", item))
          .isEqualTo(before)
          .containsExactly("a moved, quoted caption", "caption 1/0");
      assertThat(new ItemStore(catalog).labels().get(item)).containsExactly("cat", "pet");
      assertThat(new ItemStore(catalog).attribute("split")).containsEntry(item, "train");
      assertThat(new CodeStore(catalog).load(model).itemIds()).containsExactly(item);
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM files")).isEqualTo(12);
    }
  }

  @Test
  void unpluggedRootGoesOfflineAndComesBack() throws Exception {
    Path root = corpus();
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      List<String> dump = Libraries.canonicalDump(catalog);
      Path away = tmp.resolve("unplugged");
      Files.move(root, away);

      IndexReport offline = Libraries.index(catalog, root);
      assertThat(offline.offline()).isEqualTo(12);
      assertThat(offline.missing() + offline.added() + offline.failed()).isZero();
      assertThat(Libraries.query(catalog, "SELECT DISTINCT presence FROM files"))
          .containsExactly("offline");
      assertThat(Libraries.query(catalog, "SELECT state FROM roots")).containsExactly("offline");
      assertThat(new ItemStore(catalog).images())
          .hasSize(12)
          .noneMatch(ItemStore.ImageItem::online);
      assertThat(catalog.write(Transaction::prune)).isEqualTo(new PruneReport(0, 0));

      Files.move(away, root);
      Libraries.Recorder recorder = new Libraries.Recorder();
      IndexReport back = Libraries.index(catalog, recorder, root);
      assertThat(back.unchanged()).isEqualTo(12);
      assertThat(back.offline() + back.missing()).isZero();
      assertThat(recorder.decodes.get()).isZero();
      assertThat(new ItemStore(catalog).images()).allMatch(ItemStore.ImageItem::online);
      assertThat(Libraries.canonicalDump(catalog)).isEqualTo(dump);
    }
  }

  @Test
  void emptiedMountPointCountsAsOffline() throws Exception {
    Path root = corpus();
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      Path away = tmp.resolve("elsewhere");
      Files.move(root, away);
      Files.createDirectory(root); // what an unmounted drive leaves behind
      IndexReport report = Libraries.index(catalog, root);
      assertThat(report.offline()).isEqualTo(12);
      assertThat(report.missing()).isZero();
    }
  }

  @Test
  void vanishedFilesAreMissingUntilPruned() throws Exception {
    Path root = corpus();
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      Files.move(root.resolve("album2/img3.jpg"), tmp.resolve("img3.jpg"));
      IndexReport report = Libraries.index(catalog, root);
      assertThat(report.missing()).isEqualTo(1);
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM items WHERE kind = 'image'"))
          .isEqualTo(12);

      // It comes back unchanged: present again, nothing decoded.
      Files.move(tmp.resolve("img3.jpg"), root.resolve("album2/img3.jpg"));
      Libraries.Recorder recorder = new Libraries.Recorder();
      report = Libraries.index(catalog, recorder, root);
      assertThat(report.unchanged()).isEqualTo(12);
      assertThat(recorder.decodes.get()).isZero();
      assertThat(Libraries.query(catalog, "SELECT DISTINCT presence FROM files"))
          .containsExactly("present");

      Files.delete(root.resolve("album2/img3.jpg"));
      Libraries.index(catalog, root);
      PruneReport pruned = catalog.write(Transaction::prune);
      assertThat(pruned.files()).isEqualTo(1);
      assertThat(pruned.items()).isEqualTo(2); // the image and its sidecar caption
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM items WHERE kind = 'image'"))
          .isEqualTo(11);
    }
  }

  @Test
  void aSmallSquareImageIsStoredOnceForThumbnailAndModelInput() throws Exception {
    Path root = tmp.resolve("icons");
    Path icon =
        TestImages.write(root.resolve("icon.png"), TestImages.png(TestImages.noise(300, 300, 4)));
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      long item = Libraries.count(catalog, "SELECT item_id FROM files");
      // 300 px: scaled to a 256 px thumbnail and a 224 px model input, two images.
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM model_inputs")).isEqualTo(1);

      // Edited in place into a 64 px square: one stored image is both; the old input goes.
      TestImages.write(icon, TestImages.png(TestImages.noise(64, 64, 5)));
      Files.setLastModifiedTime(icon, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      assertThat(Libraries.index(catalog, root).updated()).isEqualTo(1);
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM model_inputs")).isZero();
      ItemStore items = new ItemStore(catalog);
      StoredImage input = items.modelInput(item).orElseThrow();
      assertThat(input.width()).isEqualTo(64);
      assertThat(input.sameAs(items.thumbnail(item).orElseThrow())).isTrue();
      assertThat(items.modelInputs(new long[] {item})).containsOnlyKeys(item);
    }
  }

  @Test
  void editedFileIsReprocessedAndKeepsItsItem() throws Exception {
    Path root = corpus();
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      long item =
          Libraries.count(catalog, "SELECT item_id FROM files WHERE rel_path = 'album0/img0.jpg'");
      Path file = root.resolve("album0/img0.jpg");
      TestImages.write(file, TestImages.jpeg(TestImages.solid(30, 60, Color.GREEN)));
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      Files.writeString(root.resolve("album0/img1.txt"), "a new caption");
      Libraries.Recorder recorder = new Libraries.Recorder();
      IndexReport report = Libraries.index(catalog, recorder, root);
      assertThat(report.updated()).isEqualTo(2);
      assertThat(recorder.decodes.get()).isEqualTo(1);
      assertThat(
              Libraries.query(
                  catalog, "SELECT width || 'x' || height FROM images WHERE item_id = ?", item))
          .containsExactly("30x60");
      assertThat(
              Libraries.query(
                  catalog,
                  "SELECT c.text FROM captions c JOIN files f ON f.item_id = c.image_id"
                      + " WHERE f.rel_path = 'album0/img1.jpg'"))
          .containsExactly("a new caption");
    }
  }

  @Test
  void unreadableFolderIsReportedAndItsFilesAreNotMarkedMissing() throws Exception {
    Path root = corpus();
    Path library = tmp.resolve("lib.sqlite");
    try (Catalog catalog = Catalog.open(library)) {
      assertThat(Libraries.index(catalog, root).added()).isEqualTo(12);
    }
    Path locked = root.resolve("album2");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      List<String> output = indexAsUnprivileged(library, root, Files.isReadable(locked));
      assertThat(output.getFirst()).isEqualTo("added 0 unchanged 8 missing 0");
      assertThat(output.subList(1, output.size()))
          .containsExactly("failed\t" + locked + "\tpermission denied");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try (Catalog catalog = Catalog.open(library)) {
      assertThat(
              Libraries.count(
                  catalog,
                  "SELECT count(*) FROM files WHERE rel_path LIKE 'album2/%' AND presence = ?",
                  "present"))
          .isEqualTo(4);
    }
  }

  /**
   * Runs {@link IndexProcess}. Root reads a chmod-000 folder anyway, so as root (when {@code
   * readableAnyway}) the child runs without the capabilities that bypass file permissions
   * (util-linux {@code setpriv}); the test is skipped only where that is unavailable.
   */
  private static List<String> indexAsUnprivileged(Path library, Path root, boolean readableAnyway)
      throws Exception {
    List<String> command = new ArrayList<>();
    if (readableAnyway) {
      List<String> setpriv =
          List.of(
              "/usr/bin/setpriv",
              "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-dac_override,-dac_read_search");
      assumeTrue(
          Files.isExecutable(Path.of(setpriv.getFirst())),
          "running as root without util-linux setpriv");
      List<String> probe = new ArrayList<>(setpriv);
      probe.add("true");
      assumeTrue(
          new ProcessBuilder(probe).start().waitFor() == 0,
          "running as root where setpriv may not drop capabilities");
      command.addAll(setpriv);
    }
    command.addAll(IndexProcess.command(library, root));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines;
    try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
      lines = out.lines().filter(l -> l.startsWith("added ") || l.startsWith("failed\t")).toList();
    }
    assertThat(process.waitFor()).isZero();
    return lines;
  }

  @Test
  void copiesShareOneItemAndFolderLabelsAreOptIn() throws Exception {
    Path root = tmp.resolve("dups");
    byte[] same = TestImages.jpeg(TestImages.noise(40, 40, 99));
    TestImages.write(root.resolve("cats/a.jpg"), same);
    TestImages.write(root.resolve("dogs/b.jpg"), same);
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      IndexReport report =
          new Indexer(catalog, IngestOptions.defaults().withThreads(1).withLabelsFromFolders(true))
              .index(List.of(root), IndexListener.NONE);
      assertThat(report.added()).isEqualTo(2);
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM images")).isEqualTo(1);
      Map<Long, List<String>> labels = new ItemStore(catalog).labels();
      assertThat(labels.values().iterator().next()).containsExactlyInAnyOrder("cats", "dogs");
    }
  }

  @Test
  void anItemHasTheLabelsOfAllItsFilesAndAFileReadAgainReplacesOnlyItsOwn() throws Exception {
    // Before, a copy replaced the item's XMP/IPTC/folder labels with its own: the labels depended
    // on which file was written last, and a copy without a sidecar erased them.
    Path root = tmp.resolve("archive");
    byte[] same = TestImages.png(TestImages.noise(24, 24, 5));
    TestImages.write(root.resolve("2019/scan.png"), same);
    Files.writeString(root.resolve("2019/scan.png.xmp"), TestImages.xmpPacket(null, null, "cat"));
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      assertThat(labelsOfTheOneItem(catalog)).containsExactly("cat");

      TestImages.write(root.resolve("copies/scan.png"), same); // a copy, no sidecar
      Libraries.index(catalog, root);
      assertThat(labelsOfTheOneItem(catalog)).containsExactly("cat");

      TestImages.write(root.resolve("more/scan.png"), same);
      Files.writeString(root.resolve("more/scan.png.xmp"), TestImages.xmpPacket(null, null, "pet"));
      Libraries.index(catalog, root);
      assertThat(labelsOfTheOneItem(catalog)).containsExactlyInAnyOrder("cat", "pet");

      // The original's sidecar changes: only its own label goes.
      Files.writeString(
          root.resolve("2019/scan.png.xmp"), TestImages.xmpPacket(null, null, "cattle"));
      Libraries.index(catalog, root);
      assertThat(labelsOfTheOneItem(catalog)).containsExactlyInAnyOrder("cattle", "pet");

      // A pruned file takes its labels with it.
      Files.delete(root.resolve("more/scan.png"));
      Libraries.index(catalog, root);
      catalog.write(tx -> tx.prune());
      assertThat(labelsOfTheOneItem(catalog)).containsExactly("cattle");
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void fileNamesThatAreNotUtf8AreKeptExactlyUnderAnyLocale() throws Exception {
    // Before, such names were stored as the JVM decoded them (U+FFFD): the path shown did not
    // exist, and two names differing only in those bytes shared one row that swapped between
    // them on every re-index. Under a C/POSIX locale every non-ASCII name was lossy.
    Path root = tmp.resolve("names");
    Path ff = rawName(root, "scan-", 0xFF, ".png");
    Path fe = rawName(root, "scan-", 0xFE, ".png");
    TestImages.write(ff, TestImages.png(TestImages.noise(20, 20, 1)));
    TestImages.write(fe, TestImages.png(TestImages.noise(20, 20, 2)));
    TestImages.write(rawName(root, "scan-", 0xFF, ".txt"), "ff caption".getBytes(UTF_8));
    TestImages.write(rawName(root, "scan-", 0xFE, ".txt"), "fe caption".getBytes(UTF_8));
    TestImages.write(root.resolve("café.png"), TestImages.png(TestImages.noise(20, 20, 3)));
    Path library = tmp.resolve("lib.sqlite");
    List<String> stored;
    try (Catalog catalog = Catalog.open(library)) {
      assertThat(Libraries.index(catalog, root).added()).isEqualTo(3);
      stored = Libraries.query(catalog, "SELECT rel_path FROM files ORDER BY rel_path");
      assertThat(stored).hasSize(3).contains("café.png");
      for (ItemStore.ImageItem image : new ItemStore(catalog).images()) {
        assertThat(image.path()).exists(); // the very file, not a lossy look-alike
      }
      assertThat(
              Libraries.query(
                  catalog,
                  "SELECT f.rel_path || ' ' || c.text FROM captions c"
                      + " JOIN files f ON f.item_id = c.image_id ORDER BY 1"))
          .containsExactly(stored.get(1) + " fe caption", stored.get(2) + " ff caption");
      IndexReport again = Libraries.index(catalog, root);
      assertThat(again.unchanged()).isEqualTo(3);
      assertThat(again.updated() + again.added() + again.moved()).isZero();
    }
    // The same library under the C locale: every file unchanged, the same rows.
    assertThat(indexUnderCLocale(library, root)).containsExactly("added 0 unchanged 3 missing 0");
    Path fresh = tmp.resolve("fresh.sqlite");
    assertThat(indexUnderCLocale(fresh, root)).containsExactly("added 3 unchanged 0 missing 0");
    try (Catalog catalog = Catalog.open(fresh)) {
      assertThat(Libraries.query(catalog, "SELECT rel_path FROM files ORDER BY rel_path"))
          .isEqualTo(stored);
    }
  }

  /** {@code folder/before<byte>after}: a name the JVM cannot spell as a string. */
  private static Path rawName(Path folder, String before, int b, String after) throws Exception {
    Files.createDirectories(folder);
    byte[] name = (before + "_" + after).getBytes(UTF_8);
    name[before.length()] = (byte) b;
    return folder.resolve(
        app.tessera.engine.PathText.toPath(folder.toAbsolutePath() + "/" + decodeName(name))
            .getFileName());
  }

  private static String decodeName(byte[] name) {
    StringBuilder s = new StringBuilder();
    for (byte x : name) {
      s.append(x >= 0 ? (char) x : (char) (0xEF00 + (x & 0xFF)));
    }
    return s.toString();
  }

  private static List<String> indexUnderCLocale(Path library, Path root) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(IndexProcess.command(library, root)).redirectErrorStream(true);
    builder.environment().put("LC_ALL", "C");
    builder.environment().remove("LANG");
    Process process = builder.start();
    List<String> lines;
    try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
      lines = out.lines().filter(l -> l.startsWith("added ") || l.startsWith("failed\t")).toList();
    }
    assertThat(process.waitFor()).isZero();
    return lines;
  }

  private static List<String> labelsOfTheOneItem(Catalog catalog) {
    Map<Long, List<String>> labels = new ItemStore(catalog).labels();
    assertThat(labels.keySet()).hasSizeLessThanOrEqualTo(1);
    return labels.isEmpty() ? List.of() : labels.values().iterator().next();
  }

  @Test
  void contentAnotherProcessAddsMeanwhileIsLinkedNotDuplicated() throws Exception {
    // New images are inserted together; when that fails (here: another process catalogued the
    // same content between this run's decoding and its writing), each file is applied alone.
    Path root = tmp.resolve("shared");
    byte[] contested = TestImages.png(TestImages.noise(30, 30, 1));
    TestImages.write(root.resolve("a.png"), TestImages.png(TestImages.noise(30, 30, 2)));
    TestImages.write(root.resolve("b.png"), contested);
    TestImages.write(root.resolve("c.png"), TestImages.png(TestImages.noise(30, 30, 3)));
    Path library = tmp.resolve("lib.sqlite");
    long[] otherItem = {0};
    IndexListener otherProcess =
        new IndexListener() {
          @Override
          public void decoded(Path file) {
            if (!file.getFileName().toString().equals("b.png")) {
              return;
            }
            ImageDecoder.Decoded image;
            try {
              image = new ImageDecoder(ImageDecoder.Sizes.DEFAULT).decode(file, contested);
            } catch (DecodeException e) {
              throw new AssertionError(e);
            }
            try (Catalog other = Catalog.open(library)) {
              otherItem[0] =
                  other.write(
                      tx ->
                          tx.images()
                              .add(
                                  new ImageContent(
                                      Fingerprint.of(contested),
                                      contested.length,
                                      "png",
                                      30,
                                      30,
                                      image.thumbnail(),
                                      image.modelInput())));
            }
          }
        };
    try (Catalog catalog = Catalog.open(library)) {
      IndexReport report =
          new Indexer(catalog, IngestOptions.defaults().withThreads(1))
              .index(List.of(root), otherProcess);

      assertThat(report.failures()).isEmpty();
      assertThat(report.added()).isEqualTo(3);
      assertThat(otherItem[0]).isPositive();
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM images")).isEqualTo(3);
      assertThat(Libraries.count(catalog, "SELECT item_id FROM files WHERE rel_path = 'b.png'"))
          .isEqualTo(otherItem[0]);
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM files WHERE item_id IS NULL"))
          .isZero();
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
  }
}

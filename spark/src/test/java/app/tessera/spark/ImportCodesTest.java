package app.tessera.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Cancellation;
import app.tessera.engine.CodeImportReport;
import app.tessera.engine.Device;
import app.tessera.engine.Hashes;
import app.tessera.engine.IndexListener;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.Search;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code import-codes}: the job's output imported into an empty library must be the library that
 * {@code tessera index} + coding make of the same folder (same rows, images, thumbnails, captions,
 * labels, codes and features; the same ranked results in all four directions); importing again
 * changes nothing; an import killed mid-way and run again ends the same.
 */
class ImportCodesTest {
  /** Files in the archive, failures included. */
  private static final int FILES = 25;

  @Test
  void importsWhatIndexAndCodingMakeOfTheSameFolder() throws Exception {
    Path library = JobFixture.dir().resolve("imported.sqlite");
    List<CodeImportReport> reports = importCodes(library);
    CodeImportReport report = reports.getFirst();
    assertThat(report.files().added()).isEqualTo(22);
    assertThat(report.files().failed()).isEqualTo(3);
    assertThat(report.codes()).isEqualTo(21 + 17); // distinct images and captions
    assertThat(report.features()).isEqualTo(21 + 17);

    LibraryContents local = LibraryContents.read(JobFixture.localLibrary());
    LibraryContents imported = LibraryContents.read(library);
    assertThat(imported.roots()).isEqualTo(local.roots());
    assertThat(imported.files()).hasSize(FILES).isEqualTo(local.files());
    assertThat(imported.images()).hasSize(21).isEqualTo(local.images());
    assertThat(imported.thumbnails()).isEqualTo(local.thumbnails());
    assertThat(imported.modelInputs()).isEqualTo(local.modelInputs());
    assertThat(imported.captions()).hasSize(17).isEqualTo(local.captions());
    assertThat(imported.attributes()).isEqualTo(local.attributes());
    assertThat(imported.models()).isEqualTo(local.models());
    assertThat(imported.codes()).hasSize(21 + 17).isEqualTo(local.codes());
    assertThat(imported.features()).hasSize(21 + 17).isEqualTo(local.features());
    assertSameLabels(imported, local);

    // The same ranked results (item or caption, distance) in all four directions.
    Path query = JobFixture.archive().resolve("trips/IMG_0003.jpg");
    try (ModelBundle bundle = ModelBundle.open(JobFixture.bundleDir(), Device.CPU)) {
      List<Query> queries =
          List.of(
              Query.builder().text("a red boat").target(Query.Target.IMAGES).top(50).build(),
              Query.builder().text("a red boat").target(Query.Target.CAPTIONS).top(50).build(),
              Query.builder().image(query, 1).target(Query.Target.IMAGES).top(50).build(),
              Query.builder().image(query, 1).target(Query.Target.CAPTIONS).top(50).build());
      for (Query q : queries) {
        List<String> expected = ranked(JobFixture.localLibrary(), bundle, q, local);
        assertThat(expected).hasSizeGreaterThan(16);
        assertThat(ranked(library, bundle, q, imported)).isEqualTo(expected);
      }
      // Nothing is left to encode: the imported items are coded.
      try (Library lib = Library.open(library)) {
        CodingReport coding = lib.code(bundle, new Cancellation(), line -> {});
        assertThat(coding.imagesEncoded() + coding.captionsEncoded()).isZero();
        assertThat(coding.coded()).isZero();
      }
    }

    // Again: nothing changes, not a byte of the library.
    String before = Hashes.sha256(library);
    CodeImportReport again = importCodes(library).getFirst();
    assertThat(again.files().unchanged()).isEqualTo(FILES);
    assertThat(again.files().added() + again.files().updated() + again.files().moved()).isZero();
    assertThat(again.codes() + again.features()).isZero();
    assertThat(Hashes.sha256(library)).isEqualTo(before);
  }

  @Test
  void anImportKilledMidwayResumesToTheSameLibrary() throws Exception {
    Path library = JobFixture.dir().resolve("killed.sqlite");
    Path out = JobFixture.output();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("--enable-native-access")
          || arg.startsWith("--sun-misc")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ImportChild.class.getName(),
            out.toString(),
            library.toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    int committed = 0;
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        if (line.startsWith(ImportChild.COMMITTED)) {
          committed = Integer.parseInt(line.substring(ImportChild.COMMITTED.length()).strip());
          if (committed >= ImportChild.KILL_AFTER) {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(committed)
        .as(String.join("\n", lines))
        .isGreaterThanOrEqualTo(ImportChild.KILL_AFTER);
    LibraryContents partial = LibraryContents.read(library);
    assertThat(partial.files().size()).isBetween(ImportChild.KILL_AFTER, FILES - 1);

    CodeImportReport resumed = importCodes(library).getFirst();
    assertThat(resumed.files().unchanged()).isEqualTo(partial.files().size());
    LibraryContents local = LibraryContents.read(JobFixture.localLibrary());
    LibraryContents imported = LibraryContents.read(library);
    assertThat(imported.files()).isEqualTo(local.files());
    assertThat(imported.images()).isEqualTo(local.images());
    assertThat(imported.thumbnails()).isEqualTo(local.thumbnails());
    assertThat(imported.captions()).isEqualTo(local.captions());
    assertThat(imported.codes()).isEqualTo(local.codes());
    assertThat(imported.features()).isEqualTo(local.features());
    assertSameLabels(imported, local);
  }

  @Test
  void refusesAModelOfTheSameNameThatIsAnotherModel() throws Exception {
    Path library = JobFixture.dir().resolve("clash.sqlite");
    Path out = JobFixture.output();
    Path job = out.resolve(CodeArchive.JOB_FILE);
    Path copy = JobFixture.dir().resolve("clash-codes");
    copyTree(out, copy);
    Files.writeString(
        copy.resolve(CodeArchive.JOB_FILE),
        Files.readString(job).replace("\"bits\" : 64", "\"bits\" : 32"));
    importCodes(library);
    assertThatThrownBy(
            () ->
                ImportCodes.run(
                    List.of(copy.toString()),
                    library,
                    List.of(),
                    ImportCodes.BATCH,
                    IndexListener.NONE,
                    new Cancellation()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another model named");
    // And an output that is not the job's is refused before anything is written.
    assertThatThrownBy(
            () ->
                ImportCodes.run(
                    List.of(JobFixture.archive().toString()),
                    JobFixture.dir().resolve("none.sqlite"),
                    List.of(),
                    ImportCodes.BATCH,
                    IndexListener.NONE,
                    new Cancellation()))
        .hasMessageContaining("is not an output of the Spark job");
  }

  private static List<CodeImportReport> importCodes(Path library) throws Exception {
    return ImportCodes.run(
        List.of(JobFixture.output().toString()),
        library,
        List.of(),
        ImportCodes.BATCH,
        IndexListener.NONE,
        new Cancellation());
  }

  /**
   * Labels: equal for every item; an item held by several files (a copy) has the labels of all of
   * them, whatever the order the files came in, as indexing gives it.
   */
  private static void assertSameLabels(LibraryContents imported, LibraryContents local)
      throws Exception {
    Map<String, List<Set<String>>> byFile = new HashMap<>();
    for (Row r :
        JobFixture.spark().read().parquet(JobFixture.output().toString()).collectAsList()) {
      if (r.getAs("outcome").equals("ok")) {
        byFile
            .computeIfAbsent(r.getAs("fingerprint"), k -> new ArrayList<>())
            .add(CodeArchiveTest.labels(r));
      }
    }
    assertThat(imported.labels().keySet()).isEqualTo(local.labels().keySet());
    for (Map.Entry<String, List<Set<String>>> e : byFile.entrySet()) {
      // An item has the labels of all its files, imported as indexed.
      Set<String> labels = imported.labels().getOrDefault(e.getKey(), Set.of());
      assertThat(labels).isEqualTo(local.labels().getOrDefault(e.getKey(), Set.of()));
    }
  }

  /**
   * A query's whole ranking as (distance, content) pairs, ordered by distance and then content:
   * item ids differ between libraries, so ties are ordered by what the hit is, not by id.
   */
  private static List<String> ranked(
      Path library, ModelBundle bundle, Query query, LibraryContents contents) {
    Map<String, String> fingerprintOf = new HashMap<>();
    contents.files().forEach((path, f) -> fingerprintOf.put(path, f.item()));
    try (Library lib = Library.openReadOnly(library)) {
      Search search = lib.search(bundle);
      assertThat(search.uncodedImages() + search.uncodedCaptions()).isZero();
      List<String> out = new ArrayList<>();
      for (SearchHit hit : search.search(query).hits()) {
        String image = fingerprintOf.get(hit.path().toString());
        String what = query.target() == Query.Target.IMAGES ? image : image + " | " + hit.caption();
        out.add(String.format("%03d %s", hit.distance(), what));
      }
      out.sort(null);
      return out;
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}

package app.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.ShippedModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The argument checks of {@code tessera bench search} (the measurements are too long to test). */
class BenchSearchCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void benchListsTheSearchBenchmark() {
    assertThat(run()).isZero();
    assertThat(out.toString()).contains("search").contains("coding");
  }

  @Test
  void fullRunRefusesASmallHeapWithTheFix() {
    // Tests run with -Xmx4g: below what 100M codes need.
    assertThat(run("search")).isEqualTo(2);
    assertThat(err.toString()).contains("TESSERA_JAVA_OPTS=-Xmx8g").contains("--quick");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void fusedRunChecksItsOptionsBeforeMakingALibrary(@TempDir Path dir) {
    Path library = dir.resolve("fused.sqlite");
    assertThat(run("search", "--fused", "--items", "5", "--library", library.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--items must be between 1000");
    assertThat(run("search", "--fused", "--agreement", "-1", "--library", library.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--agreement must be 0 or more");
    assertThat(library).doesNotExist();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void fusedLibraryIsMadeOnceThenReusedAndAMismatchIsRefused(@TempDir Path dir) throws Exception {
    Path library = dir.resolve("fused.sqlite");
    List<String> log = new ArrayList<>();
    FusedSearchBenchmark first = new FusedSearchBenchmark(library, 1000, 3, log::add);
    first.prepare();
    assertThat(library).exists();
    assertThat(dir.resolve("fused.sqlite.part")).doesNotExist();
    assertThat(first.facts()).containsKey("fill_s");
    assertThat((Long) first.facts().get("word_index_postings")).isGreaterThan(4000);
    FileTime made = Files.getLastModifiedTime(library);

    FusedSearchBenchmark again = new FusedSearchBenchmark(library, 1000, 3, log::add);
    again.prepare();
    assertThat(again.facts()).doesNotContainKey("fill_s");
    assertThat(Files.getLastModifiedTime(library)).isEqualTo(made);
    assertThat(log.stream().filter(l -> l.startsWith("making"))).hasSize(1);

    assertThatThrownBy(() -> new FusedSearchBenchmark(library, 2000, 3, log::add).prepare())
        .hasMessageContaining("holds 1000 captions, not 2000");

    // Whole queries with the shipped model's own text encoding, per query class.
    try (ModelBundle model = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
      List<FusedSearchBenchmark.Row> rows = again.run(false, model, row -> {});
      assertThat(rows)
          .filteredOn(row -> row.stage().equals("fused, encoding included"))
          .extracting(FusedSearchBenchmark.Row::queries)
          .containsExactly("rare", "typical", "common", "long", "example");
      assertThat(rows).allMatch(row -> row.p50Ms() > 0 && row.p95Ms() >= row.p50Ms());
    }
  }

  @Test
  void jsonIntoAMissingFolderFailsBeforeMeasuring(@TempDir Path dir) {
    Path json = dir.resolve("missing").resolve("bench.json");
    assertThat(run("search", "--quick", "--json", json.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such folder");
    assertThat(out.toString()).isEmpty();
  }
}

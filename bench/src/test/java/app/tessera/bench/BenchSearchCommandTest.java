package app.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
  void jsonIntoAMissingFolderFailsBeforeMeasuring(@TempDir Path dir) {
    Path json = dir.resolve("missing").resolve("bench.json");
    assertThat(run("search", "--quick", "--json", json.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such folder");
    assertThat(out.toString()).isEmpty();
  }
}

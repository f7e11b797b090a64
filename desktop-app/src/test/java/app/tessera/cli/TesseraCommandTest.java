package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TesseraCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = TesseraCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void versionPrintsTheBuildVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("tessera 0.").contains("Java 25");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: tessera").contains("Commands:").contains("help");
  }

  @Test
  void anUnknownCommandIsAClearUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument").contains("frobnicate");
  }

  @Test
  void aSettingWithoutItsValueNamesTheOptionOnce() {
    assertThat(
            run("train", "--dataset", ".", "--method", "bilgseh", "--bits", "64", "--param", "x"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("option '--param' (NAME=VALUE) should be in KEY=VALUE format but was x")
        .doesNotContain("option option");
  }
}

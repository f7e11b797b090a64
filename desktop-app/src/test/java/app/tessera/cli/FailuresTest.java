package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line's one error path for bugs: one line and the log, the trace only on request. */
class FailuresTest {
  /** A command with a bug. */
  @Command(name = "buggy")
  static final class Buggy implements Callable<Integer> {
    @CommandLine.Option(names = "--verbose")
    boolean verbose;

    @Override
    public Integer call() {
      List<String> none = List.of();
      return none.getFirst().length(); // NoSuchElementException
    }
  }

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = TesseraCommand.withOneErrorPath(new CommandLine(new Buggy()));
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return cli.execute(args);
  }

  @Test
  void anInternalErrorIsOneLineThatSaysWhereItsTraceWent() throws Exception {
    long logged = Files.exists(Failures.log()) ? Files.size(Failures.log()) : 0;

    assertThat(run()).isEqualTo(ExitCode.INTERNAL);

    List<String> lines = err.toString().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst())
        .startsWith("buggy: internal error (NoSuchElementException")
        .contains("the details are in " + Failures.log())
        .endsWith("Please report it.");
    String log = Files.readString(Failures.log()).substring((int) logged);
    assertThat(log)
        .contains("buggy", "java.util.NoSuchElementException")
        .contains("at app.tessera.cli.FailuresTest$Buggy.call");
  }

  @Test
  void verboseShowsTheTrace() {
    assertThat(run("--verbose")).isEqualTo(ExitCode.INTERNAL);

    List<String> lines = err.toString().lines().toList();
    assertThat(lines.getFirst()).contains("internal error", "its trace follows");
    assertThat(lines).anyMatch(l -> l.contains("at app.tessera.cli.FailuresTest$Buggy.call"));
  }
}

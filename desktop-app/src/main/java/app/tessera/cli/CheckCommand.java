package app.tessera.cli;

import app.tessera.engine.PathText;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.LibraryCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tessera check}: the full check of a library, reading only. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check every page of the library (SQLite's integrity_check), its foreign keys and its"
          + " schema. Reads only: a damaged library can be checked, and nothing is written.",
      "Exit code 0 when the library is healthy, 65 when it is damaged (the problems are listed,"
          + " with the backups Tessera made before schema upgrades)."
    })
public final class CheckCommand implements Callable<Integer> {
  @Mixin LibraryOption library;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LibraryCheck check = Library.check(library.existing());
    String file = PathText.display(check.file());
    if (check.ok()) {
      out.printf(Locale.ROOT, "library %s is healthy (checked in %.1f s)%n", file, check.seconds());
      out.flush();
      return ExitCode.OK;
    }
    out.printf("library %s is damaged:%n", file);
    check.problems().stream().limit(20).forEach(p -> out.println("  " + p));
    if (check.problems().size() > 20) {
      out.printf("  ... and %d more%n", check.problems().size() - 20);
    }
    if (check.backups().isEmpty()) {
      out.println(
          "Tessera made no backup of it; restore one of your own, or recover what SQLite can read"
              + " with: sqlite3 "
              + file
              + " .recover | sqlite3 recovered.sqlite");
    } else {
      out.println("Backups Tessera made before schema upgrades (newest first):");
      for (Path backup : check.backups()) {
        out.println("  " + PathText.display(backup));
      }
    }
    out.flush();
    // The verdict on stderr too, as every failing command gives it: one line.
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "tessera check: library %s is damaged (%d problems, listed above): Tessera will not write"
            + " to it%n",
        file, check.problems().size());
    err.flush();
    return ExitCode.DATA;
  }
}

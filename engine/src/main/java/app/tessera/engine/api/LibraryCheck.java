package app.tessera.engine.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link Library#check}: what is wrong with a library (nothing when healthy) and the
 * backups Tessera made of it before schema upgrades, newest first.
 */
public record LibraryCheck(Path file, List<String> problems, List<Path> backups, double seconds) {
  public LibraryCheck {
    problems = List.copyOf(problems);
    backups = List.copyOf(backups);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}

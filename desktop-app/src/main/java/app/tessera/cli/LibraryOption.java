package app.tessera.cli;

import app.tessera.engine.AppDirs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --library FILE}, shared by every command that opens a library. */
public final class LibraryOption {
  @Option(
      names = "--library",
      paramLabel = "FILE",
      description = "Library (SQLite catalogue) to use. Default: ${DEFAULT-VALUE}")
  Path library = AppDirs.defaultLibrary();

  public Path library() {
    return library;
  }
}

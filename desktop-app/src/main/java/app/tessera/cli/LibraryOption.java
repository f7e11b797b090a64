package app.tessera.cli;

import app.tessera.engine.AppDirs;
import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.nio.file.Files;
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

  /**
   * The library, which must exist: only indexing and importing make a new one, so that a mistyped
   * {@code --library} never leaves an empty library behind.
   */
  public Path existing() {
    return existing(library);
  }

  /**
   * {@code library}, which must be a library file: not missing, not a folder (said by the catalogue
   * when it is opened), not an empty file.
   */
  static Path existing(Path library) {
    if (!Files.exists(library)) {
      throw new TesseraException(
          Kind.NOT_FOUND,
          library,
          "no library at "
              + PathText.display(library)
              + ": index a folder first (tessera index PATH --library "
              + PathText.display(library)
              + ")");
    }
    try {
      if (Files.isRegularFile(library) && Files.size(library) == 0) {
        throw new TesseraException(
            Kind.BAD_INPUT,
            library,
            PathText.display(library)
                + " is empty (0 bytes): not a library yet; index a folder first (tessera index"
                + " PATH --library "
                + PathText.display(library)
                + ")");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return library;
  }
}

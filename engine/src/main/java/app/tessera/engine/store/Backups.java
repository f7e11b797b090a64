package app.tessera.engine.store;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rolling backups of a library, made before a schema migration changes it
 * (docs/decisions/0011-damaged-catalogues-and-backups.md): {@code library.sqlite.v3.bak} is the
 * library as it was at schema version 3, a consistent copy ({@code VACUUM INTO}) written beside it
 * and renamed into place when complete. The two newest are kept.
 */
final class Backups {
  private Backups() {}

  static final int KEEP = 2;

  /** Copies the library open on {@code c} (at schema {@code version}) to its backup. */
  static Path backUp(Connection c, Path file, int version) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("PRAGMA quick_check");
        ResultSet rs = st.executeQuery()) {
      if (rs.next() && !"ok".equals(rs.getString(1))) {
        throw new TesseraException(
            Kind.DAMAGED,
            file,
            "library "
                + file
                + " is damaged ("
                + rs.getString(1)
                + ") and was not upgraded"
                + Problems.whatToDo(file));
      }
    }
    Path backup = file.resolveSibling(file.getFileName() + ".v" + version + ".bak");
    Path partial = file.resolveSibling(file.getFileName() + ".v" + version + ".bak.partial");
    try {
      Files.deleteIfExists(partial);
      try (PreparedStatement st = c.prepareStatement("VACUUM INTO ?")) {
        st.setString(1, partial.toUri().toString());
        st.execute();
      }
      Files.move(
          partial, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      prune(file);
      return backup;
    } catch (SQLException | IOException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      String what =
          "library "
              + file
              + " was not upgraded to schema "
              + Catalog.schemaVersion()
              + " because its backup "
              + backup
              + " could not be written";
      if (e instanceof IOException io) {
        throw Problems.io(file, what, io);
      }
      if (StoreException.sqliteCode(e) == StoreException.FULL) {
        throw new TesseraException(
            Kind.IO,
            file,
            what + ": the disk is full; free about " + sizeMb(file) + " MB and run again",
            e);
      }
      throw new TesseraException(
          StoreException.kindOf(e), file, what + " (" + Problems.detail(e) + ")", e);
    }
  }

  /** The newest backup of {@code file}, if any. */
  static Optional<Path> latest(Path file) {
    List<Path> all = list(file);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
  }

  /** The backups of {@code file}, newest schema first. */
  static List<Path> list(Path file) {
    Pattern name =
        Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.v(\\d+)\\.bak");
    List<Path> out = new ArrayList<>();
    Path folder = file.toAbsolutePath().getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      return out;
    }
    try (var entries = Files.list(folder)) {
      entries
          .filter(p -> name.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt((Path p) -> version(name, p)).reversed())
          .forEach(out::add);
    } catch (IOException e) {
      return out; // no backups to offer
    }
    return out;
  }

  private static int version(Pattern name, Path p) {
    Matcher m = name.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Deletes all but the {@link #KEEP} newest backups. */
  private static void prune(Path file) throws IOException {
    List<Path> all = list(file);
    for (Path old : all.subList(Math.min(KEEP, all.size()), all.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static long sizeMb(Path file) {
    try {
      return Files.size(file) / (1 << 20) + 1;
    } catch (IOException e) {
      return 1;
    }
  }
}

package app.tessera.engine.store;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link Catalog} checks before it uses a file, cheapest first, so that nothing is ever
 * written to a file that is not a healthy Tessera library (docs/decisions/0011-damaged-catalogues-
 * and-backups.md):
 *
 * <ol>
 *   <li>the file: a regular file, readable, starting with SQLite's header (no SQL yet);
 *   <li>whose it is: {@code user_version} set by Tessera and not newer than this build; a database
 *       without it but with tables is another program's;
 *   <li>the schema: the tables of its version are there;
 *   <li>before writing: {@code PRAGMA quick_check} of the tables of small rows that every job
 *       updates in place (a few milliseconds per thousand items). The tables of large BLOBs
 *       (thumbnails, model inputs, features, codes) are checked by SQLite as their pages are read:
 *       damage there ends the job ({@link Kind#DAMAGED}) before anything else is written. {@code
 *       tessera check} checks every page.
 * </ol>
 */
final class CatalogChecks {
  private CatalogChecks() {}

  private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.UTF_8);

  /** The tables every version has, and those a later version added. */
  private static final List<String> TABLES_V1 =
      List.of(
          "roots",
          "items",
          "images",
          "files",
          "captions",
          "labels",
          "item_labels",
          "item_attributes",
          "thumbnails",
          "model_inputs",
          "features",
          "models",
          "code_blocks");

  private static final String TABLE_V3 = "library_settings";

  /** The tables of small rows, quick-checked before every write. */
  private static final List<String> QUICK_CHECKED =
      List.of(
          "roots",
          "items",
          "images",
          "files",
          "captions",
          "labels",
          "item_labels",
          "item_attributes",
          "models",
          TABLE_V3);

  /** The file itself, before SQLite opens it. {@code forWriting} accepts a new or empty file. */
  static void requireLibraryFile(Path file, boolean forWriting) {
    if (!Files.exists(file)) {
      if (forWriting) {
        return;
      }
      throw new TesseraException(Kind.NOT_FOUND, file, "no library at " + file);
    }
    if (Files.isDirectory(file)) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          file,
          file + " is a folder, not a library file: give the library's file (e.g. library.sqlite)");
    }
    if (!Files.isRegularFile(file)) {
      throw new TesseraException(
          Kind.BAD_INPUT, file, file + " is not a regular file, so not a library");
    }
    if (!Files.isReadable(file)) {
      throw new TesseraException(
          Kind.NOT_FOUND, file, "cannot read library " + file + ": permission denied");
    }
    byte[] head = new byte[SQLITE_HEADER.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw Problems.io(file, "cannot read library " + file, e);
    }
    if (n == 0) {
      if (forWriting) {
        return; // an empty file becomes a new library, as SQLite itself treats it
      }
      throw new TesseraException(
          Kind.BAD_INPUT, file, file + " is empty (0 bytes): not a library yet");
    }
    if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          file,
          file + " is not a Tessera library (not an SQLite database); it was left as it is");
    }
  }

  /**
   * The library can be written: the file (if it exists) and its folder, where SQLite keeps its
   * write-ahead log. Checked before opening, so that a read-only medium, an immutable file or a
   * lack of permission is said at once and not in the middle of a job.
   */
  static void requireWritable(Path file) {
    Path folder = file.getParent();
    boolean fileOk = !Files.exists(file) || writable(file);
    boolean folderOk = folder == null || !Files.isDirectory(folder) || writable(folder);
    if (!Files.exists(file) && !folderOk) {
      throw new TesseraException(
          Kind.READ_ONLY,
          file,
          "cannot create library "
              + file
              + " (read-only medium or folder, or no permission): choose a folder you may write"
              + " to");
    }
    if (!fileOk || !folderOk) {
      throw new TesseraException(
          Kind.READ_ONLY,
          file,
          "library "
              + file
              + " cannot be written (read-only medium, "
              + (fileOk ? "read-only folder" : "read-only file")
              + " or no permission): searching works on it as it is; to change it, copy it to a"
              + " folder you may write to");
    }
  }

  /**
   * This process may write {@code path}, and its permissions let someone write it: root may write
   * anything, but a file or folder whose permissions grant no one write access was made read-only
   * on purpose (an archived copy), so Tessera treats it as read-only for root too.
   */
  static boolean writable(Path path) {
    if (!Files.isWritable(path)) {
      return false;
    }
    try {
      return Files.getPosixFilePermissions(path).stream()
          .anyMatch(p -> p.name().endsWith("_WRITE"));
    } catch (UnsupportedOperationException | IOException e) {
      return true; // no POSIX permissions (Windows): isWritable said it all
    }
  }

  /**
   * The database is Tessera's and of a version this build reads; {@code forWriting} accepts an
   * empty one (a new library).
   */
  static void requireTessera(Connection c, Path file, int version, boolean forWriting)
      throws SQLException {
    requireKnown(file, version);
    if (version == 0) {
      if (objectCount(c) > 0) {
        throw new TesseraException(
            Kind.BAD_INPUT,
            file,
            file
                + " is another program's SQLite database, not a Tessera library; it was left as"
                + " it is");
      }
      if (!forWriting) {
        throw new TesseraException(
            Kind.BAD_INPUT, file, file + " is an empty database: not a library yet");
      }
      return;
    }
    List<String> missing = schemaProblems(c, version);
    if (!missing.isEmpty()) {
      throw new TesseraException(
          Kind.DAMAGED,
          file,
          "library " + file + " is damaged (" + missing.getFirst() + ")" + Problems.whatToDo(file));
    }
  }

  static void requireKnown(Path file, int version) {
    if (version > Catalog.schemaVersion()) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          file,
          "library "
              + file
              + " has schema version "
              + version
              + " but this Tessera knows only up to "
              + Catalog.schemaVersion()
              + ": use a newer Tessera");
    }
  }

  /** The tables of schema {@code version} that are missing, as problems. */
  static List<String> schemaProblems(Connection c, int version) throws SQLException {
    Set<String> tables = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    List<String> expected = new ArrayList<>(TABLES_V1);
    if (version >= 3) {
      expected.add(TABLE_V3);
    }
    List<String> problems = new ArrayList<>();
    for (String table : expected) {
      if (!tables.contains(table)) {
        problems.add("table " + table + " is missing");
      }
    }
    return problems;
  }

  /** {@code PRAGMA quick_check} of the tables of small rows. */
  static void requireHealthy(Connection c, Path file, int version) throws SQLException {
    for (String table : QUICK_CHECKED) {
      if (table.equals(TABLE_V3) && version < 3) {
        continue;
      }
      List<String> found = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("PRAGMA quick_check('" + table + "')");
          ResultSet rs = st.executeQuery()) {
        while (rs.next() && found.size() < 2) {
          String row = rs.getString(1);
          if (!"ok".equals(row) && !row.startsWith("*** in database")) {
            found.add(row);
          }
        }
      } catch (SQLException e) {
        if (StoreException.kindOf(e) != Kind.DAMAGED) {
          throw e;
        }
        found.add(Problems.detail(e)); // too damaged for the check to walk
      }
      if (!found.isEmpty()) {
        throw new TesseraException(
            Kind.DAMAGED,
            file,
            "library "
                + file
                + " is damaged (table "
                + table
                + ": "
                + String.join("; ", found)
                + ")"
                + Problems.whatToDo(file));
      }
    }
  }

  private static int objectCount(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_schema")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}

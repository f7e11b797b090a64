package app.tessera.engine.store;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * A library: the SQLite catalogue of roots, files, items (images and captions), labels, thumbnails,
 * model inputs, features, models and codes.
 *
 * <p>One {@code Catalog} owns the single writer connection; {@link #write} runs a unit of work in
 * one transaction on it ({@code BEGIN IMMEDIATE}, so a second process waits for the busy timeout
 * instead of failing), serialised by a lock. Readers open their own connections with {@link
 * #openReader()} and, thanks to WAL, never wait for the writer. Long jobs (indexing, importing,
 * pruning, coding) also take the library's {@link JobLock}, so two of them never interleave.
 *
 * <p>Opening never writes to a file that is not a healthy Tessera library: a folder, a file that is
 * not an SQLite database, another program's database, a library from a newer Tessera and a damaged
 * one (header, schema and {@code PRAGMA quick_check} of the tables of small rows, see {@link
 * CatalogChecks}) are refused with a {@link TesseraException} that says what to do. The schema is
 * versioned with {@code PRAGMA user_version}; {@link #open} first copies an older library to a
 * backup next to it ({@link Backups}), then applies the missing {@code V<n>__*.sql} migrations
 * (each in its own transaction).
 */
public final class Catalog implements AutoCloseable {
  /** The migrations, in order; migration {@code i} brings the schema to version {@code i + 1}. */
  static final List<String> MIGRATIONS =
      List.of(
          "V1__init.sql",
          "V2__one_stored_image_and_no_fingerprint_index.sql",
          "V3__library_settings.sql",
          "V4__labels_per_file.sql",
          "V5__caption_words.sql");

  static final int BUSY_TIMEOUT_MS = 30_000;

  private final Path file;
  private final Connection writer; // null when read-only
  private final boolean immutable;
  private final ReentrantLock writeLock = new ReentrantLock();
  private int version;

  private Catalog(Path file, Connection writer, boolean immutable) {
    this.file = file;
    this.writer = writer;
    this.immutable = immutable;
    this.version = MIGRATIONS.size();
  }

  /**
   * Opens (creating if needed) the library at {@code file} and brings its schema up to date, after
   * a backup of an older one.
   *
   * @throws TesseraException when the file is not a library this build may write to, is damaged,
   *     cannot be written, or the disk is full
   */
  public static Catalog open(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    CatalogChecks.requireLibraryFile(absolute, true);
    CatalogChecks.requireWritable(absolute);
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
    } catch (IOException e) {
      throw Problems.io(absolute, "cannot create the folder of library " + absolute, e);
    }
    try {
      return new Catalog(absolute, connectWriter(absolute), false);
    } catch (SQLException | TesseraException e) {
      throw Problems.explain(absolute, e);
    }
  }

  /**
   * Opens the library at {@code file} for reading only: nothing is ever written to it (no schema
   * upgrade, no journal change), so a search leaves the file byte for byte as it was. The file must
   * exist and have a schema this build can read. A copy on read-only media, or in a folder Tessera
   * may not write to, is opened as immutable (SQLite then needs no shared-memory file next to it).
   *
   * @throws TesseraException when there is no such file or it is not a library this build reads
   */
  public static Catalog openReadOnly(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    CatalogChecks.requireLibraryFile(absolute, false);
    boolean immutable = !canCreateBesides(absolute);
    Catalog catalog = new Catalog(absolute, null, immutable);
    catalog.version =
        catalog.readSql(
            c -> {
              int v = userVersion(c);
              CatalogChecks.requireTessera(c, absolute, v, false);
              return v;
            });
    return catalog;
  }

  /**
   * Whether SQLite could create the write-ahead log's side files next to {@code file} (a WAL
   * database is only readable with them, unless opened as immutable).
   */
  private static boolean canCreateBesides(Path file) {
    Path shm = file.resolveSibling(file.getFileName() + "-shm");
    return (Files.exists(shm) && CatalogChecks.writable(shm))
        || (CatalogChecks.writable(file.getParent()) && CatalogChecks.writable(file));
  }

  /** Whether this catalogue was opened with {@link #openReadOnly}. */
  public boolean readOnly() {
    return writer == null;
  }

  /**
   * The writer connection, checked and its schema up to date. Switching a brand-new file to WAL
   * needs a moment of exclusive access that SQLite does not wait for (SQLITE_BUSY at once, whatever
   * the busy timeout), so when another process or thread is creating the same library, try again
   * briefly.
   */
  private static Connection connectWriter(Path absolute) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      Connection connection = null;
      try {
        // No journal-mode pragma yet: it would write to a file before it is known to be ours.
        connection = config().createConnection(url(absolute, ""));
        int version;
        try (Statement st = connection.createStatement()) {
          // Version and tables from one snapshot: read apart, a library that another process was
          // creating meanwhile looked like another program's database (tables, no version yet).
          st.execute("BEGIN");
          version = userVersion(connection);
          CatalogChecks.requireTessera(connection, absolute, version, true);
          st.execute("COMMIT");
        }
        if (version > 0) {
          CatalogChecks.requireHealthy(connection, absolute, version);
        }
        try (Statement st = connection.createStatement()) {
          st.execute("PRAGMA journal_mode = WAL");
        }
        if (version > 0 && version < MIGRATIONS.size()) {
          Backups.backUp(connection, absolute, version);
        }
        migrate(connection, absolute);
        return StatementCache.wrap(connection);
      } catch (SQLException | TesseraException e) {
        if (connection != null) {
          connection.close();
        }
        if (attempt >= 50
            || !(e instanceof SQLException)
            || StoreException.kindOf(e) != Kind.BUSY) {
          throw e;
        }
        try {
          Thread.sleep(10L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** {@code jdbc:sqlite:file:...}: the path's own bytes, percent-encoded, whatever the locale. */
  static String url(Path file, String query) {
    return "jdbc:sqlite:" + file.toUri() + query;
  }

  /**
   * The writer's settings. The writer runs in auto-commit mode and begins each unit of work itself
   * with {@code BEGIN IMMEDIATE} (see {@link #writeSql}): the driver's own transactions are
   * deferred, and a deferred transaction that read before another process committed fails with
   * SQLITE_BUSY at once on its first write, whatever the busy timeout.
   */
  private static SQLiteConfig config() {
    SQLiteConfig config = new SQLiteConfig();
    config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
    // NORMAL is durable across process crashes in WAL mode; only power loss can drop the last
    // transactions, never corrupt the file.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    return config;
  }

  private static void migrate(Connection connection, Path file) throws SQLException {
    int version = userVersion(connection);
    while (version < MIGRATIONS.size()) {
      // Another process (the app and a CLI command) may be creating the same new library: take
      // the write lock first, then re-read the version, so each migration runs exactly once. A new
      // library gets every migration in one transaction, so no other opener ever sees it half
      // made (it would take it for an old library and back it up while it is being created).
      try (Statement st = connection.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        try {
          version = userVersion(connection);
          CatalogChecks.requireKnown(file, version);
          int target = version == 0 ? MIGRATIONS.size() : Math.min(version + 1, MIGRATIONS.size());
          for (int v = version; v < target; v++) {
            for (String statement : SqlScript.split(resource(MIGRATIONS.get(v)))) {
              st.execute(statement);
            }
          }
          if (target > version) {
            st.execute("PRAGMA user_version = " + target);
          }
          st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          rollback(connection, e);
          if (e instanceof TesseraException typed) {
            throw typed;
          }
          if (StoreException.kindOf(e) != Kind.INTERNAL) {
            throw (SQLException) e;
          }
          throw new StoreException(
              "migration " + MIGRATIONS.get(version) + " failed: " + e.getMessage(), e);
        }
      }
      version = userVersion(connection);
    }
  }

  static int userVersion(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static String resource(String name) {
    try (InputStream in = Catalog.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The library file. */
  public Path file() {
    return file;
  }

  /**
   * The schema version of this file: this build's, except for an older library opened read-only (it
   * is never upgraded; what a newer schema added reads as empty).
   */
  public int version() {
    return version;
  }

  /** The schema version of this build. */
  public static int schemaVersion() {
    return MIGRATIONS.size();
  }

  /** Work done in one transaction, through the catalogue's repositories. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Transaction tx);
  }

  /**
   * JDBC work: for the store's own classes and for tests that inspect the file. Everything else
   * goes through {@link Work} and the repositories (an architecture test keeps {@code java.sql}
   * inside this package).
   */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on the writer connection: committed if it returns, rolled
   * back if it throws. Calls are serialised; nesting on the same thread joins the outer
   * transaction.
   *
   * @throws TesseraException when the catalogue is read-only, damaged, busy or the disk is full
   */
  public <T> T write(Work<T> work) {
    return writeSql(c -> work.run(new Transaction(c)));
  }

  /** Runs {@code work} on a fresh read-only connection (one consistent snapshot) and closes it. */
  public <T> T read(Work<T> work) {
    return readSql(c -> work.run(new Transaction(c)));
  }

  /** {@link #write} with the connection itself. */
  public <T> T writeSql(SqlWork<T> work) {
    if (writer == null) {
      throw new TesseraException(
          Kind.READ_ONLY, file, "library " + file + " is open read-only: nothing is written to it");
    }
    writeLock.lock();
    try {
      if (writeLock.getHoldCount() > 1) {
        return work.run(writer);
      }
      Sql.execute(writer, "BEGIN IMMEDIATE");
      try {
        T result = work.run(writer);
        Sql.execute(writer, "COMMIT");
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(writer, e);
        throw e;
      }
    } catch (SQLException | TesseraException e) {
      throw Problems.explain(file, e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Rolls back what is left of the transaction (SQLite may have rolled it back already). */
  private static void rollback(Connection c, Throwable cause) {
    try {
      Sql.execute(c, "ROLLBACK");
    } catch (SQLException suppressed) {
      if (!String.valueOf(suppressed.getMessage()).contains("no transaction is active")) {
        cause.addSuppressed(suppressed);
      }
    }
  }

  /** {@link #read} with the connection itself. */
  public <T> T readSql(SqlWork<T> work) {
    try (Connection connection = openReader()) {
      connection.setAutoCommit(false); // one snapshot for the whole unit of work
      try {
        return work.run(connection);
      } finally {
        connection.rollback();
      }
    } catch (SQLException | TesseraException e) {
      throw Problems.explain(file, e);
    }
  }

  /** A new read-only connection; the caller closes it. Never blocked by the writer (WAL). */
  Connection openReader() throws SQLException {
    // Sets no pragma that could write (journal mode) on the file.
    SQLiteConfig config = new SQLiteConfig();
    config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    return config.createConnection(url(file, immutable ? "?immutable=1" : "?mode=ro"));
  }

  /**
   * Takes the library's job lock for {@code job} (e.g. "tessera index"): only one indexing, import,
   * prune or coding job writes a library at a time, across processes.
   *
   * @throws TesseraException ({@link Kind#BUSY}) at once when another job holds it
   */
  public JobLock lockForJob(String job) {
    if (writer == null) {
      throw new TesseraException(
          Kind.READ_ONLY, file, "library " + file + " is open read-only: nothing is written to it");
    }
    return JobLock.acquire(file, job);
  }

  /**
   * {@link #check} of the library in {@code file}, opened read-only; damage that keeps it from
   * opening at all is a problem too.
   *
   * @throws TesseraException when there is no such file or it is not a library
   */
  public static List<String> check(Path file) {
    try (Catalog catalog = openReadOnly(file)) {
      return catalog.check();
    } catch (TesseraException e) {
      if (e.kind() != Kind.DAMAGED) {
        throw e;
      }
      return List.of(Problems.detail(e.getCause() != null ? e.getCause() : e));
    }
  }

  /** The backups Tessera made of the library in {@code file}, newest first. */
  public static List<Path> backups(Path file) {
    return Backups.list(file.toAbsolutePath().normalize());
  }

  /** {@code PRAGMA integrity_check}: "ok" for a healthy file. */
  public String integrityCheck() {
    return String.join("\n", check());
  }

  /**
   * The full check ({@code tessera check}): SQLite's {@code integrity_check} of every page and
   * index, foreign keys, and the schema Tessera expects; {@code ["ok"]} for a healthy library.
   */
  public List<String> check() {
    return readSql(
        c -> {
          List<String> problems = new ArrayList<>(CatalogChecks.schemaProblems(c, version));
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("PRAGMA integrity_check(100)")) {
            while (rs.next()) {
              if (!"ok".equals(rs.getString(1))) {
                problems.add(rs.getString(1));
              }
            }
          } catch (SQLException e) {
            problems.add(Problems.detail(e)); // damage SQLite cannot even walk past
          }
          if (problems.isEmpty()) { // foreign keys are worth checking only in readable tables
            try (PreparedStatement st = c.prepareStatement("PRAGMA foreign_key_check");
                ResultSet rs = st.executeQuery()) {
              int n = 0;
              while (rs.next() && n++ < 100) {
                problems.add(
                    "row "
                        + rs.getLong(2)
                        + " of "
                        + rs.getString(1)
                        + " refers to a missing row of "
                        + rs.getString(3));
              }
            }
          }
          problems.removeIf(p -> p.startsWith("*** in database"));
          return problems.isEmpty() ? List.of("ok") : problems;
        });
  }

  @Override
  public void close() {
    if (writer == null) {
      return;
    }
    writeLock.lock();
    try {
      writer.close();
    } catch (SQLException e) {
      throw Problems.explain(file, e);
    } finally {
      writeLock.unlock();
    }
  }
}

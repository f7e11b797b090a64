package app.tessera.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * A library: the SQLite catalogue of roots, files, items (images and captions), labels, thumbnails,
 * model inputs, features, models and codes.
 *
 * <p>One {@code Catalog} owns the single writer connection; {@link #write} runs a unit of work in
 * one transaction on it, serialised by a lock. Readers open their own connections with {@link
 * #openReader()} and, thanks to WAL, never wait for the writer. Every connection has foreign keys
 * on and a busy timeout, so a second process touching the same file waits instead of failing.
 *
 * <p>The schema is versioned with {@code PRAGMA user_version}; {@link #open} applies the missing
 * {@code V<n>__*.sql} migrations (each in its own transaction) and refuses a file written by a
 * newer Tessera.
 */
public final class Catalog implements AutoCloseable {
  /** The migrations, in order; migration {@code i} brings the schema to version {@code i + 1}. */
  static final List<String> MIGRATIONS =
      List.of(
          "V1__init.sql",
          "V2__one_stored_image_and_no_fingerprint_index.sql",
          "V3__library_settings.sql",
          "V4__caption_words.sql");

  private static final int BUSY_TIMEOUT_MS = 30_000;

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

  /** Opens (creating if needed) the library at {@code file} and brings its schema up to date. */
  public static Catalog open(Path file) {
    try {
      Path absolute = file.toAbsolutePath().normalize();
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
      return new Catalog(absolute, connectWriter(absolute), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of library " + file, e);
    } catch (SQLException e) {
      throw new StoreException("cannot open library " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the library at {@code file} for reading only: nothing is ever written to it (no schema
   * upgrade, no journal change), so a search leaves the file byte for byte as it was. The file must
   * exist and have a schema this build can read. A copy on read-only media, or in a folder Tessera
   * may not write to, is opened as immutable (SQLite then needs no shared-memory file next to it).
   *
   * @throws StoreException when there is no such file or it is not a library this build reads
   */
  public static Catalog openReadOnly(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute)) {
      throw new StoreException("no library at " + file);
    }
    boolean immutable = !canCreateBesides(absolute);
    Catalog catalog = new Catalog(absolute, null, immutable);
    catalog.version = catalog.readSql(Catalog::userVersion);
    if (catalog.version == 0) {
      throw new StoreException(file + " is not a Tessera library (or an empty one)");
    }
    checkKnown(catalog.version);
    return catalog;
  }

  /**
   * Whether SQLite could create the write-ahead log's side files next to {@code file} (a WAL
   * database is only readable with them, unless opened as immutable).
   */
  private static boolean canCreateBesides(Path file) {
    Path shm = Path.of(file + "-shm");
    return (Files.exists(shm) && Files.isWritable(shm))
        || (Files.isWritable(file.getParent()) && Files.isWritable(file));
  }

  /** Whether this catalogue was opened with {@link #openReadOnly}. */
  public boolean readOnly() {
    return writer == null;
  }

  /**
   * The writer connection, schema up to date. Switching a brand-new file to WAL needs a moment of
   * exclusive access that SQLite does not wait for (SQLITE_BUSY at once, whatever the busy
   * timeout), so when another process or thread is creating the same library, try again briefly.
   */
  private static Connection connectWriter(Path absolute) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      Connection connection = null;
      try {
        connection = config(false).createConnection("jdbc:sqlite:" + absolute);
        migrate(connection);
        connection.setAutoCommit(false);
        return StatementCache.wrap(connection);
      } catch (SQLException | StoreException e) {
        if (connection != null) {
          connection.close();
        }
        if (attempt >= 50 || !isBusy(e)) {
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

  private static boolean isBusy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == 5 || sql.getErrorCode() == 6)) { // SQLITE_BUSY, SQLITE_LOCKED
        return true;
      }
    }
    return false;
  }

  private static SQLiteConfig config(boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL is durable across process crashes in WAL mode; only power loss can drop the last
    // transactions, never corrupt the file.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setReadOnly(readOnly);
    return config;
  }

  private static void migrate(Connection connection) throws SQLException {
    int version = userVersion(connection);
    checkKnown(version);
    while (version < MIGRATIONS.size()) {
      // Another process (the app and a CLI command) may be creating the same new library: take
      // the write lock first, then re-read the version, so each migration runs exactly once.
      try (Statement st = connection.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        try {
          version = userVersion(connection);
          checkKnown(version);
          if (version < MIGRATIONS.size()) {
            for (String statement : SqlScript.split(resource(MIGRATIONS.get(version)))) {
              st.execute(statement);
            }
            st.execute("PRAGMA user_version = " + (version + 1));
          }
          st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          st.execute("ROLLBACK");
          if (e instanceof StoreException store) {
            throw store;
          }
          throw new StoreException(
              "migration " + MIGRATIONS.get(version) + " failed: " + e.getMessage(), e);
        }
      }
      version = userVersion(connection);
    }
  }

  private static int userVersion(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void checkKnown(int version) {
    if (version > MIGRATIONS.size()) {
      throw new StoreException(
          "the library has schema version "
              + version
              + " but this Tessera knows only up to "
              + MIGRATIONS.size()
              + ": use a newer Tessera");
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
   * @throws StoreException when the catalogue is read-only
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
      throw new StoreException("library " + file + " is open read-only");
    }
    writeLock.lock();
    try {
      if (writeLock.getHoldCount() > 1) {
        return work.run(writer);
      }
      try {
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          writer.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    } finally {
      writeLock.unlock();
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
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  /** A new read-only connection; the caller closes it. Never blocked by the writer (WAL). */
  Connection openReader() throws SQLException {
    if (writer == null) {
      // A read-only catalogue sets no pragma that could write (journal mode) on its file.
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(BUSY_TIMEOUT_MS);
      config.enforceForeignKeys(true);
      return config.createConnection(
          "jdbc:sqlite:" + file.toUri() + (immutable ? "?immutable=1" : "?mode=ro"));
    }
    return config(true).createConnection("jdbc:sqlite:" + file);
  }

  /** {@code PRAGMA integrity_check}: "ok" for a healthy file. */
  public String integrityCheck() {
    return readSql(
        c -> {
          try (Statement st = c.createStatement();
              var rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
              out.append(out.isEmpty() ? "" : "\n").append(rs.getString(1));
            }
            return out.toString();
          }
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
      throw new StoreException("cannot close library " + file + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }
}

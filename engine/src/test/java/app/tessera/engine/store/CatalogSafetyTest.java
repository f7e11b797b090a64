package app.tessera.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue never writes to a file that is not a healthy Tessera library, backs a library up
 * before upgrading it, and lets concurrent writers wait instead of failing.
 */
class CatalogSafetyTest {
  @TempDir Path tmp;

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void assertKind(ThrowingCallable call, Kind kind, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(TesseraException.class)
        .satisfies(e -> assertThat(((TesseraException) e).kind()).isEqualTo(kind))
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void filesThatAreNotTesseraLibrariesAreRefusedAndLeftAsTheyWere() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("a-folder"));
    assertKind(() -> Catalog.open(folder), Kind.BAD_INPUT, "is a folder");
    assertKind(() -> Catalog.openReadOnly(folder), Kind.BAD_INPUT, "is a folder");

    Path text = Files.writeString(tmp.resolve("notes.sqlite"), "not a database at all");
    assertKind(() -> Catalog.open(text), Kind.BAD_INPUT, "not an SQLite database");
    assertThat(Files.readString(text)).isEqualTo("not a database at all");

    // Another program's SQLite database: before, Tessera added its own tables to it.
    Path other = tmp.resolve("other.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE contacts (name TEXT)");
      st.execute("INSERT INTO contacts VALUES ('Ada')");
    }
    String before = sha256(other);
    assertKind(() -> Catalog.open(other), Kind.BAD_INPUT, "another program's SQLite database");
    assertKind(
        () -> Catalog.openReadOnly(other), Kind.BAD_INPUT, "another program's SQLite database");
    assertThat(sha256(other)).isEqualTo(before);

    Path empty = Files.createFile(tmp.resolve("empty.sqlite"));
    assertKind(() -> Catalog.openReadOnly(empty), Kind.BAD_INPUT, "empty (0 bytes)");
    assertThat(Files.size(empty)).isZero();
    assertKind(
        () -> Catalog.openReadOnly(tmp.resolve("none.sqlite")), Kind.NOT_FOUND, "no library");
    assertThat(tmp.resolve("none.sqlite")).doesNotExist();
  }

  @Test
  void aDamagedCatalogueIsRefusedForWritingAndTheFullCheckListsTheDamage() throws Exception {
    Path file = tmp.resolve("lib.sqlite");
    try (Catalog catalog = Catalog.open(file)) {
      catalog.write(tx -> tx.roots().add(tmp.resolve("photos")));
    }
    Damage.page(file, "roots");
    String before = sha256(file);

    // Before, it was opened and written to (and a re-index said "unchanged").
    assertKind(() -> Catalog.open(file), Kind.DAMAGED, "is damaged (table roots");
    assertKind(() -> Catalog.open(file), Kind.DAMAGED, "tessera check --library " + file);
    assertThat(sha256(file)).isEqualTo(before);

    List<String> problems = Catalog.check(file);
    assertThat(problems).isNotEmpty().doesNotContain("ok");
    assertThat(sha256(file)).isEqualTo(before);

    Path healthy = tmp.resolve("healthy.sqlite");
    Catalog.open(healthy).close();
    assertThat(Catalog.check(healthy)).containsExactly("ok");
  }

  @Test
  void anOlderLibraryIsBackedUpBeforeItsSchemaIsUpgradedAndTwoBackupsAreKept() throws Exception {
    Path file = tmp.resolve("old.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      for (int v = 0; v < 3; v++) {
        for (String sql : SqlScript.split(resource(Catalog.MIGRATIONS.get(v)))) {
          st.execute(sql);
        }
      }
      st.execute("PRAGMA user_version = 3");
      st.execute("INSERT INTO roots (path, added_at) VALUES ('/photos', 1)");
    }
    String before = sha256(file);
    try (Catalog catalog = Catalog.open(file)) {
      assertThat(catalog.version()).isEqualTo(Catalog.schemaVersion());
    }
    Path backup = tmp.resolve("old.sqlite.v3.bak");
    assertThat(Catalog.backups(file)).containsExactly(backup);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT path || ' ' || (SELECT user_version FROM"
                    + " pragma_user_version) FROM roots")) {
      assertThat(rs.getString(1)).isEqualTo("/photos 3");
    }
    assertThat(sha256(file)).isNotEqualTo(before); // upgraded in place; the backup has the old one

    // Rolling: older backups beyond the newest two go.
    Files.writeString(tmp.resolve("old.sqlite.v1.bak"), "older");
    Files.writeString(tmp.resolve("old.sqlite.v2.bak"), "old");
    // The library as it was at version 3 again (every migration then runs once more).
    Files.copy(backup, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Catalog.open(file).close();
    assertThat(Catalog.backups(file)).containsExactly(backup, tmp.resolve("old.sqlite.v2.bak"));
  }

  private static String resource(String name) throws Exception {
    try (var in = Catalog.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aWriterThatReadBeforeAnotherCommittedWaitsInsteadOfFailing() throws Exception {
    // Two writers on one library (two processes, or the app and a command). Before, each unit of
    // work began deferred: one that had read before the other committed failed at its first
    // write with SQLITE_BUSY at once, whatever the busy timeout.
    Path file = tmp.resolve("lib.sqlite");
    try (Catalog first = Catalog.open(file);
        Catalog second = Catalog.open(file)) {
      CountDownLatch firstWrote = new CountDownLatch(1);
      CountDownLatch firstCommitted = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> a =
            pool.submit(
                () -> {
                  first.writeSql(
                      c -> {
                        ImageRepository.insertItem(c, "image");
                        firstWrote.countDown();
                        sleep(300);
                        return null;
                      });
                  firstCommitted.countDown();
                  return null;
                });
        Future<Long> b =
            pool.submit(
                () -> {
                  firstWrote.await();
                  return second.writeSql(
                      c -> {
                        try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT count(*) FROM items")) {
                          rs.next();
                        }
                        await(firstCommitted);
                        return ImageRepository.insertItem(c, "image");
                      });
                });
        a.get(20, TimeUnit.SECONDS);
        assertThat(b.get(20, TimeUnit.SECONDS)).isPositive();
      } finally {
        pool.shutdownNow();
      }
      assertThat(first.<Long>readSql(c -> count(c, "SELECT count(*) FROM items"))).isEqualTo(2);
    }
  }

  @Test
  void oneJobAtATimeAndTheSecondIsRefusedAtOnceWithWhoHoldsIt() throws Exception {
    Path file = tmp.resolve("lib.sqlite");
    try (Catalog first = Catalog.open(file);
        Catalog second = Catalog.open(file)) {
      try (JobLock lock = first.lockForJob("indexing")) {
        try (JobLock again = first.lockForJob("coding")) { // the same thread may take it again
          assertThat(again).isSameAs(lock);
        }
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
          Future<?> refused = other.submit(() -> second.lockForJob("pruning"));
          assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
              .cause()
              .isInstanceOf(TesseraException.class)
              .hasMessageContaining("is being changed by indexing (process ")
              .satisfies(e -> assertThat(((TesseraException) e).kind()).isEqualTo(Kind.BUSY));
        } finally {
          other.shutdownNow();
        }
      }
      second.lockForJob("pruning").close(); // free again
    }
  }

  private static long count(Connection c, String sql) throws java.sql.SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

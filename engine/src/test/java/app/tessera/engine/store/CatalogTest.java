package app.tessera.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  @TempDir Path tmp;

  private static String pragma(Connection c, String name) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void opensWithWalForeignKeysAndTheCurrentSchema() throws Exception {
    Path file = tmp.resolve("sub/dir/lib.sqlite");
    try (Catalog catalog = Catalog.open(file)) {
      assertThat(catalog.<String>readSql(c -> pragma(c, "journal_mode"))).isEqualTo("wal");
      assertThat(catalog.<String>readSql(c -> pragma(c, "foreign_keys"))).isEqualTo("1");
      assertThat(catalog.<String>readSql(c -> pragma(c, "user_version")))
          .isEqualTo(String.valueOf(Catalog.schemaVersion()));
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
    // Reopening applies nothing twice.
    try (Catalog catalog = Catalog.open(file)) {
      assertThat(catalog.<String>readSql(c -> pragma(c, "user_version")))
          .isEqualTo(String.valueOf(Catalog.schemaVersion()));
    }
  }

  @Test
  void upgradesAVersionOneLibraryAndKeepsItsRows() throws Exception {
    Path file = tmp.resolve("old.sqlite");
    String v1;
    try (var in = Catalog.class.getResourceAsStream("V1__init.sql")) {
      v1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      for (String statement : SqlScript.split(v1)) {
        st.execute(statement);
      }
      st.execute("PRAGMA user_version = 1");
      st.execute("INSERT INTO roots (path, added_at) VALUES ('/photos', 1)");
      st.execute("INSERT INTO items (kind, created_at) VALUES ('image', 1)");
      st.execute(
          "INSERT INTO files (root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id,"
              + " seen_at) VALUES (1, 'a.jpg', 10, 1, '10:ab', 1, 1)");
    }
    try (Catalog catalog = Catalog.open(file)) {
      assertThat(catalog.<String>readSql(c -> pragma(c, "user_version")))
          .isEqualTo(String.valueOf(Catalog.schemaVersion()));
      assertThat(
              catalog.<String>readSql(
                  c -> {
                    try (Statement st = c.createStatement();
                        ResultSet rs =
                            st.executeQuery(
                                "SELECT count(*) FROM sqlite_master WHERE name ="
                                    + " 'files_fingerprint'")) {
                      return rs.next() ? rs.getString(1) : null;
                    }
                  }))
          .isEqualTo("0");
      assertThat(
              catalog.<String>readSql(
                  c -> {
                    try (Statement st = c.createStatement();
                        ResultSet rs =
                            st.executeQuery("SELECT rel_path || ' ' || fingerprint FROM files")) {
                      return rs.next() ? rs.getString(1) : null;
                    }
                  }))
          .isEqualTo("a.jpg 10:ab");
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void refusesALibraryFromANewerTessera() throws Exception {
    Path file = tmp.resolve("lib.sqlite");
    Catalog.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> Catalog.open(file))
        .isInstanceOf(app.tessera.engine.TesseraException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("use a newer Tessera");
  }

  @Test
  void readersSeeOnlyCommittedDataAndNeverWaitForTheWriter() throws Exception {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      catalog.writeSql(c -> ImageRepository.insertItem(c, "image"));
      catalog.writeSql(
          c -> {
            ImageRepository.insertItem(c, "image");
            // Inside the open write transaction, a reader still sees one item.
            assertThat(countItems(catalog)).isEqualTo(1);
            return null;
          });
      assertThat(countItems(catalog)).isEqualTo(2);
    }
  }

  @Test
  void aFailedWriteIsRolledBack() throws Exception {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      assertThatThrownBy(
              () ->
                  catalog.writeSql(
                      c -> {
                        ImageRepository.insertItem(c, "image");
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");
      assertThat(countItems(catalog)).isZero();
    }
  }

  @Test
  void foreignKeysCascade() throws Exception {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      long image = catalog.writeSql(c -> ImageRepository.insertItem(c, "image"));
      catalog.write(
          tx -> tx.captions().add(image, null, new NewCaption("user", null, "hello", null)));
      assertThat(countItems(catalog)).isEqualTo(2);
      catalog.writeSql(
          c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
              st.setLong(1, image);
              st.executeUpdate();
            }
            return null;
          });
      // The caption row went with its image; its caption item stays until pruned explicitly.
      assertThat(new ItemStore(catalog).captions()).isEmpty();
    }
  }

  private static long countItems(Catalog catalog) {
    return catalog.readSql(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}

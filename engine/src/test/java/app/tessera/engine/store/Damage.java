package app.tessera.engine.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Damages a catalogue the way a bad disk sector would, for tests. */
public final class Damage {
  private Damage() {}

  /** Overwrites the first page of {@code table}'s b-tree with a page type SQLite rejects. */
  public static void page(Path file, String table) throws Exception {
    int pageSize;
    int root;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
        pageSize = rs.getInt(1);
      }
      try (ResultSet rs =
          st.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = '" + table + "'")) {
        root = rs.getInt(1);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    int offset = (root - 1) * pageSize;
    bytes[offset] = 0x07; // no such b-tree page type
    for (int i = 1; i < 9; i++) {
      bytes[offset + i] = (byte) 0xFF;
    }
    Files.write(file, bytes);
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
  }
}

package app.tessera.engine.ingest;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.store.Catalog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Test helpers: run the indexer with a decode counter, query the catalogue. */
final class Libraries {
  private Libraries() {}

  /** Counts decodes and collects failures. */
  static final class Recorder implements IndexListener {
    final AtomicInteger decodes = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void decoded(Path file) {
      decodes.incrementAndGet();
    }

    @Override
    public void failed(String path, String reason) {
      failures.add(path + ": " + reason);
    }
  }

  static IndexReport index(Catalog catalog, Recorder recorder, Path... roots) throws IOException {
    return new Indexer(catalog, IngestOptions.defaults().withThreads(2))
        .index(List.of(roots), recorder);
  }

  static IndexReport index(Catalog catalog, Path... roots) throws IOException {
    return index(catalog, new Recorder(), roots);
  }

  /** The rows of a query, each row's columns joined by " | ". */
  static List<String> query(Catalog catalog, String sql, Object... args) {
    return catalog.readSql(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
              int n = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                StringBuilder s = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                  s.append(i > 1 ? " | " : "").append(shorten(rs.getString(i)));
                }
                out.add(s.toString());
              }
            }
          }
          return out;
        });
  }

  /** Long values (hex BLOBs, long captions) are replaced by their hash. */
  private static String shorten(String value) {
    if (value == null || value.length() <= 256) {
      return value;
    }
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(Catalog catalog, String sql, Object... args) {
    return Long.parseLong(query(catalog, sql, args).getFirst());
  }

  /**
   * A canonical dump of the catalogue, independent of item ids and insertion order: one line per
   * file with its content and everything attached to it, plus global counts.
   */
  static List<String> canonicalDump(Catalog catalog) {
    List<String> lines =
        new ArrayList<>(
            query(
                catalog,
                "SELECT f.rel_path, f.byte_size, f.fingerprint, f.presence, f.failure,"
                    + " i.format, i.width, i.height,"
                    + " hex(t.bytes), hex(m.bytes),"
                    + " (SELECT group_concat(x, ' ; ') FROM (SELECT c.source || ':' ||"
                    + "   coalesce(c.field, '') || ':' || c.text || ':' || coalesce(c.note, '') AS x"
                    + "   FROM captions c WHERE c.image_id = f.item_id ORDER BY x)),"
                    + " (SELECT group_concat(x, ' ; ') FROM (SELECT il.source || ':' || l.name AS x"
                    + "   FROM item_labels il JOIN labels l ON l.id = il.label_id"
                    + "   WHERE il.item_id = f.item_id ORDER BY x))"
                    + " FROM files f LEFT JOIN images i ON i.item_id = f.item_id"
                    + " LEFT JOIN thumbnails t ON t.item_id = f.item_id"
                    + " LEFT JOIN model_inputs m ON m.item_id = f.item_id"
                    + " ORDER BY f.rel_path"));
    lines.addAll(query(catalog, "SELECT kind, count(*) FROM items GROUP BY kind ORDER BY kind"));
    lines.add("files " + count(catalog, "SELECT count(*) FROM files"));
    lines.add("labels " + count(catalog, "SELECT count(*) FROM item_labels"));
    lines.add(
        "orphan images "
            + count(
                catalog,
                "SELECT count(*) FROM items i WHERE kind = 'image' AND NOT EXISTS"
                    + " (SELECT 1 FROM files f WHERE f.item_id = i.id)"));
    return lines;
  }
}

package app.tessera.spark;

import app.tessera.engine.Hashes;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.StoredImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a library holds, keyed by content and path instead of row ids (ids depend on the order files
 * were written in), so two libraries of the same files compare equal: file rows by path, images by
 * fingerprint, captions by (image, source, text), codes and features by the item they belong to.
 */
record LibraryContents(
    Set<String> roots,
    Map<String, FileInfo> files,
    Map<String, String> images,
    Map<String, String> thumbnails,
    Map<String, String> modelInputs,
    Map<String, String> captions,
    Map<String, Set<String>> labels,
    Set<String> attributes,
    Set<String> models,
    Map<String, String> codes,
    Map<String, String> features) {

  /** A file row: {@code item} is the fingerprint of the image it holds. */
  record FileInfo(
      long size,
      long mtimeNs,
      String fingerprint,
      String item,
      String presence,
      String failure,
      long sidecarStamp) {}

  static LibraryContents read(Path library) {
    try (Catalog catalog = Catalog.openReadOnly(library)) {
      return catalog.readSql(LibraryContents::read);
    }
  }

  private static LibraryContents read(Connection c) throws SQLException {
    Map<Long, String> rootPaths = new HashMap<>();
    Set<String> roots = new TreeSet<>();
    for (String[] r : rows(c, "SELECT id, path, state FROM roots")) {
      rootPaths.put(Long.parseLong(r[0]), r[1]);
      roots.add(r[1] + " " + r[2]);
    }
    Map<Long, String> imageKey = new HashMap<>(); // image item -> fingerprint
    Map<String, String> images = new TreeMap<>();
    for (String[] r :
        rows(c, "SELECT item_id, fingerprint, byte_size, format, width, height FROM images")) {
      imageKey.put(Long.parseLong(r[0]), r[1]);
      images.put(r[1], r[2] + " " + r[3] + " " + r[4] + "x" + r[5]);
    }
    Map<Long, String> filePaths = new HashMap<>();
    Map<String, FileInfo> files = new TreeMap<>();
    for (String[] r :
        rows(
            c,
            "SELECT id, root_id, rel_path, byte_size, mtime_ns, fingerprint, item_id, presence,"
                + " failure, sidecar_stamp FROM files")) {
      String path = rootPaths.get(Long.parseLong(r[1])) + "/" + r[2];
      filePaths.put(Long.parseLong(r[0]), path);
      String item = r[6] == null ? null : imageKey.get(Long.parseLong(r[6]));
      files.put(
          path,
          new FileInfo(
              Long.parseLong(r[3]),
              Long.parseLong(r[4]),
              r[5],
              item,
              r[7],
              r[8],
              Long.parseLong(r[9])));
    }
    Map<String, String> thumbnails = storedImages(c, "thumbnails", imageKey);
    Map<String, String> modelInputs = storedImages(c, "model_inputs", imageKey);
    Map<Long, String> itemKey = new HashMap<>(imageKey); // caption item -> image|source|text
    Map<String, String> captions = new TreeMap<>();
    for (String[] r :
        rows(c, "SELECT item_id, image_id, source, field, file_id, text, note FROM captions")) {
      String key = imageKey.get(Long.parseLong(r[1])) + " | " + r[2] + " | " + r[5];
      itemKey.put(Long.parseLong(r[0]), key);
      String file = r[4] == null ? null : filePaths.get(Long.parseLong(r[4]));
      captions.put(key, r[3] + " | " + r[6] + " | " + file); // field, note, the file it is from
    }
    Map<String, Set<String>> labels = new TreeMap<>();
    for (String[] r :
        rows(
            c,
            "SELECT il.item_id, il.source, l.name FROM item_labels il"
                + " JOIN labels l ON l.id = il.label_id")) {
      labels
          .computeIfAbsent(itemKey.get(Long.parseLong(r[0])), k -> new TreeSet<>())
          .add(r[1] + "|" + r[2]);
    }
    Set<String> attributes = new TreeSet<>();
    for (String[] r : rows(c, "SELECT item_id, key, value FROM item_attributes")) {
      attributes.add(itemKey.get(Long.parseLong(r[0])) + " | " + r[1] + "=" + r[2]);
    }
    Set<String> models = new TreeSet<>();
    Map<String, String> codes = new TreeMap<>();
    for (String[] r :
        rows(c, "SELECT id, name, method, bits, image_encoder, text_encoder FROM models")) {
      models.add(String.join(" ", r[1], r[2], r[3], r[4], r[5]));
      CodeStore.Codes stored = loadCodes(c, Long.parseLong(r[0]));
      int words = stored.wordsPerCode();
      for (int i = 0; i < stored.size(); i++) {
        StringBuilder hex = new StringBuilder();
        for (int w = 0; w < words; w++) {
          hex.append(String.format("%016x", stored.codes()[i * words + w]));
        }
        String previous =
            codes.put(r[1] + " | " + itemKey.get(stored.itemIds()[i]), hex.toString());
        if (previous != null) {
          throw new AssertionError("two codes for " + itemKey.get(stored.itemIds()[i]));
        }
      }
    }
    Map<String, String> features = new TreeMap<>();
    try (PreparedStatement st =
            c.prepareStatement("SELECT item_id, encoder, vector FROM features");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        features.put(
            rs.getString(2) + " | " + itemKey.get(rs.getLong(1)), Hashes.sha256(rs.getBytes(3)));
      }
    }
    return new LibraryContents(
        roots,
        files,
        images,
        thumbnails,
        modelInputs,
        captions,
        labels,
        attributes,
        models,
        codes,
        features);
  }

  /** Every model's codes through the store's own reader. */
  private static CodeStore.Codes loadCodes(Connection c, long modelId) throws SQLException {
    int bits;
    try (PreparedStatement st = c.prepareStatement("SELECT bits FROM models WHERE id = ?")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        bits = rs.getInt(1);
      }
    }
    List<Long> ids = new ArrayList<>();
    List<Long> words = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT item_ids, codes FROM code_blocks WHERE model_id = ? ORDER BY block_no")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          for (long id : longs(rs.getBytes(1))) {
            ids.add(id);
          }
          for (long w : longs(rs.getBytes(2))) {
            words.add(w);
          }
        }
      }
    }
    return new CodeStore.Codes(
        bits,
        ids.stream().mapToLong(Long::longValue).toArray(),
        words.stream().mapToLong(Long::longValue).toArray());
  }

  private static long[] longs(byte[] blob) {
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[blob.length / 8];
    b.asLongBuffer().get(out);
    return out;
  }

  private static Map<String, String> storedImages(
      Connection c, String table, Map<Long, String> imageKey) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (PreparedStatement st =
            c.prepareStatement("SELECT item_id, width, height, format, bytes FROM " + table);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.put(
            imageKey.get(rs.getLong(1)),
            describe(new StoredImage(rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getBytes(5))));
      }
    }
    return out;
  }

  private static List<String[]> rows(Connection c, String sql) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getString(i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }

  /** The keys (image | source | text) of an image's captions. */
  Set<String> captionKeys(String image) {
    Set<String> out = new TreeSet<>();
    for (String key : captions.keySet()) {
      if (key.startsWith(image + " | ")) {
        out.add(key);
      }
    }
    return out;
  }

  /** A stored image in a comparable form: its size, format and the SHA-256 of its bytes. */
  static String describe(StoredImage image) {
    return image.width()
        + "x"
        + image.height()
        + " "
        + image.format()
        + " "
        + Hashes.sha256(image.bytes());
  }

  /** The model input of an image: its own row, else the thumbnail (stored once). */
  String modelInput(String fingerprint) {
    return modelInputs.getOrDefault(fingerprint, thumbnails.get(fingerprint));
  }
}

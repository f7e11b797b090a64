package app.tessera.engine.ingest;

import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.LibraryRecords;
import app.tessera.engine.store.LibraryRecords.NewCaption;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports captions, labels and attributes from a CSV file with a header row and the columns {@code
 * image} (a path relative to the CSV file), {@code caption} and {@code labels} ({@code
 * ;}-separated); every other column (e.g. {@code split}, {@code id}) becomes an item attribute. RFC
 * 4180, UTF-8 with or without a byte-order mark. Importing the same file twice adds nothing.
 *
 * <p>Images not yet in the library are indexed first (the CSV's folder is indexed), unless told not
 * to.
 */
public final class CaptionImporter {
  private final Catalog catalog;
  private final IndexOptions options;

  public CaptionImporter(Catalog catalog, IndexOptions options) {
    this.catalog = catalog;
    this.options = options;
  }

  /**
   * What an import did.
   *
   * @param rows data rows read
   * @param matched rows whose image is in the library
   * @param captionsAdded new caption items
   * @param captionsPresent captions that were already there (same image, source csv, same text)
   * @param labelsAdded new (image, label) pairs
   * @param attributesSet attribute values written or changed
   * @param attributeConflicts rows that gave an image a different value for an attribute than an
   *     earlier row (identical images in several rows): the first row's value is kept
   * @param indexed the indexing run done first, or null
   * @param failures rows that could not be imported, and why
   */
  public record Report(
      int rows,
      int matched,
      int captionsAdded,
      int captionsPresent,
      int labelsAdded,
      int attributesSet,
      int attributeConflicts,
      IndexReport indexed,
      List<IndexReport.Failure> failures) {}

  /** Imports {@code csv}; {@code indexMissing} indexes the CSV's folder when images are unknown. */
  public Report importCsv(Path csv, boolean indexMissing, IndexListener listener)
      throws IOException {
    Path base = csv.toAbsolutePath().normalize().getParent();
    List<Map<String, String>> rows = read(csv);
    Map<String, Long> items = itemsByPath();
    IndexReport indexed = null;
    if (indexMissing
        && rows.stream().anyMatch(r -> !items.containsKey(key(base, r.get("image"))))) {
      indexed = new Indexer(catalog, options).index(List.of(base), listener);
      items.putAll(itemsByPath());
    }
    List<IndexReport.Failure> failures = new ArrayList<>();
    int[] n = new int[6]; // matched, added, present, labels, attributes, conflicts
    catalog.write(
        c -> {
          Map<String, String> seenValues = new HashMap<>();
          int line = 1;
          for (Map<String, String> row : rows) {
            line++;
            String image = row.get("image");
            if (image == null || image.isBlank()) {
              failures.add(new IndexReport.Failure("row " + line, "no image path"));
              continue;
            }
            Long item = items.get(key(base, image));
            if (item == null) {
              failures.add(
                  new IndexReport.Failure(
                      base.resolve(image).normalize().toString(),
                      "row " + line + ": image not in the library (missing or not decodable)"));
              continue;
            }
            n[0]++;
            String caption = row.get("caption");
            if (caption != null) {
              TextDecoding.Text text = TextDecoding.clean(caption);
              if (!text.text().isEmpty()) {
                boolean added =
                    LibraryRecords.addCaption(
                        c, item, null, new NewCaption("csv", null, text.text(), text.note()));
                n[added ? 1 : 2]++;
              }
            }
            String labels = row.get("labels");
            if (labels != null) {
              for (String label : labels.split(";")) {
                String name = label.strip();
                if (!name.isEmpty() && LibraryRecords.addLabel(c, item, "csv", name)) {
                  n[3]++;
                }
              }
            }
            for (Map.Entry<String, String> column : row.entrySet()) {
              String key = column.getKey();
              String value = column.getValue();
              if (Set.of("image", "caption", "labels").contains(key) || value == null) {
                continue;
              }
              String previous = seenValues.putIfAbsent(item + "\u0000" + key, value);
              if (previous != null && !previous.equals(value)) {
                n[5]++; // the same image in several rows: the first row's value stands
                continue;
              }
              if (LibraryRecords.setAttribute(c, item, key, value)) {
                n[4]++;
              }
            }
          }
          return null;
        });
    return new Report(
        rows.size(), n[0], n[1], n[2], n[3], n[4], n[5], indexed, List.copyOf(failures));
  }

  /** Reads all rows; a byte-order mark is skipped and invalid UTF-8 replaced. */
  static List<Map<String, String>> read(Path csv) throws IOException {
    byte[] bytes = Files.readAllBytes(csv);
    int skip =
        bytes.length >= 3
                && (bytes[0] & 0xFF) == 0xEF
                && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF
            ? 3
            : 0;
    Reader reader =
        new InputStreamReader(
            new ByteArrayInputStream(bytes, skip, bytes.length - skip),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.TRIM_SPACES);
    mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Map<String, String>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it =
        mapper.readerForMapOf(String.class).with(schema).readValues(reader)) {
      while (it.hasNextValue()) {
        rows.add(it.nextValue());
      }
    } catch (RuntimeException e) {
      throw new IOException("malformed CSV " + csv + ": " + e.getMessage(), e);
    }
    if (!rows.isEmpty() && !rows.getFirst().containsKey("image")) {
      throw new IOException(
          csv + " has no 'image' column (columns: " + rows.getFirst().keySet() + ")");
    }
    return rows;
  }

  private static String key(Path base, String image) {
    return image == null ? "" : base.resolve(image.strip()).normalize().toString();
  }

  /** Absolute path of every present or offline file that holds an item, to its item id. */
  private Map<String, Long> itemsByPath() {
    return catalog.read(
        c -> {
          Map<String, Long> out = new HashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT r.path, f.rel_path, f.item_id FROM files f"
                          + " JOIN roots r ON r.id = f.root_id"
                          + " WHERE f.item_id IS NOT NULL AND f.presence != 'missing'");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.put(
                  Path.of(rs.getString(1)).resolve(rs.getString(2)).normalize().toString(),
                  rs.getLong(3));
            }
          }
          return out;
        });
  }
}

package app.tessera.engine.ingest;

import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.IndexReport.Failure;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
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
  private final IngestOptions options;

  public CaptionImporter(Catalog catalog, IngestOptions options) {
    this.catalog = catalog;
    this.options = options;
  }

  /** Imports {@code csv}; {@code indexMissing} indexes the CSV's folder when images are unknown. */
  public CaptionImportReport importCsv(Path csv, boolean indexMissing, IndexListener listener)
      throws IOException {
    Path base = csv.toAbsolutePath().normalize().getParent();
    List<Map<String, String>> rows = read(csv);
    Map<Path, Long> items = catalog.read(tx -> tx.files().itemsByPath());
    IndexReport indexed = null;
    if (indexMissing
        && rows.stream().anyMatch(r -> !items.containsKey(key(base, r.get("image"))))) {
      indexed = new Indexer(catalog, options).index(List.of(base), listener);
      items.putAll(catalog.read(tx -> tx.files().itemsByPath()));
    }
    List<Failure> failures = new ArrayList<>();
    int[] n = new int[6]; // matched, added, present, labels, attributes, conflicts
    catalog.write(
        tx -> {
          Map<String, String> seenValues = new HashMap<>();
          int line = 1;
          for (Map<String, String> row : rows) {
            line++;
            String image = row.get("image");
            if (image == null || image.isBlank()) {
              failures.add(new Failure("row " + line, "no image path"));
              continue;
            }
            Long item = items.get(key(base, image));
            if (item == null) {
              failures.add(
                  new Failure(
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
                    tx.captions()
                        .add(item, null, new NewCaption("csv", null, text.text(), text.note()));
                n[added ? 1 : 2]++;
              }
            }
            String labels = row.get("labels");
            if (labels != null) {
              for (String label : labels.split(";")) {
                String name = label.strip();
                if (!name.isEmpty() && tx.labels().add(item, new NewLabel("csv", name))) {
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
              if (tx.labels().setAttribute(item, key, value)) {
                n[4]++;
              }
            }
          }
          return null;
        });
    return new CaptionImportReport(
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

  private static Path key(Path base, String image) {
    return image == null ? base : base.resolve(image.strip()).normalize();
  }
}

package app.tessera.engine.ingest;

import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.IndexReport.Failure;
import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Imports captions, labels and attributes from a CSV file with a header row and the columns {@code
 * image} (a path relative to the CSV file), {@code caption} and {@code labels} ({@code
 * ;}-separated); every other column (e.g. {@code split}, {@code id}) becomes an item attribute. RFC
 * 4180, UTF-8 with or without a byte-order mark (UTF-16 with one), LF or CRLF. Importing the same
 * file twice adds nothing.
 *
 * <p>The text is stored exactly as written. A file that is not valid UTF-8 or not valid CSV, or has
 * no {@code image} column, is refused as a whole with the line of the first problem (nothing is
 * written). A row whose image path leaves the CSV's folder, whose image is not in the library, or
 * whose caption is longer than {@link TextDecoding#MAX_CHARS} characters is not imported and is
 * listed with its line; the other rows are.
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

  /**
   * Imports {@code csv}; {@code indexMissing} indexes the CSV's folder when images are unknown.
   *
   * @throws TesseraException before anything is written when the file is missing, not UTF-8, not
   *     valid CSV or has no {@code image} column (the message gives the line)
   */
  public CaptionImportReport importCsv(Path csv, boolean indexMissing, IndexListener listener)
      throws IOException {
    Path base = csv.toAbsolutePath().normalize().getParent();
    List<Row> rows = read(csv);
    Map<Path, Long> items = catalog.read(tx -> tx.files().itemsByPath());
    IndexReport indexed = null;
    if (indexMissing
        && rows.stream()
            .anyMatch(r -> r.image() != null && !items.containsKey(key(base, r.image())))) {
      indexed = new Indexer(catalog, options).index(List.of(base), listener);
      items.putAll(catalog.read(tx -> tx.files().itemsByPath()));
    }
    List<Failure> failures = new ArrayList<>();
    int[] n = new int[6]; // matched, added, present, labels, attributes, conflicts
    catalog.write(
        tx -> {
          Map<String, String> seenValues = new HashMap<>();
          for (Row row : rows) {
            String where = "line " + row.line();
            if (row.image() == null || row.image().isBlank()) {
              failures.add(new Failure(where, "no image path"));
              continue;
            }
            Path path = key(base, row.image());
            if (path == null) {
              failures.add(
                  new Failure(
                      row.image(),
                      where
                          + ": outside the CSV's folder (image paths are relative to the CSV and"
                          + " stay inside its folder)"));
              continue;
            }
            Long item = items.get(path);
            if (item == null) {
              failures.add(
                  new Failure(
                      PathText.display(path),
                      where + ": image not in the library (missing or not decodable)"));
              continue;
            }
            String caption = row.caption() == null ? "" : row.caption().strip();
            if (caption.length() > TextDecoding.MAX_CHARS) {
              failures.add(
                  new Failure(
                      PathText.display(path),
                      String.format(
                          Locale.ROOT,
                          "%s: caption of %,d characters, over the limit of %,d: shorten it (the"
                              + " row was not imported)",
                          where,
                          caption.length(),
                          TextDecoding.MAX_CHARS)));
              continue;
            }
            n[0]++;
            TextDecoding.Text text = TextDecoding.clean(caption);
            if (!text.text().isEmpty()) {
              boolean added =
                  tx.captions().add(item, null, new NewCaption("csv", null, text.text(), null));
              n[added ? 1 : 2]++;
            }
            if (row.labels() != null) {
              for (String label : row.labels().split(";")) {
                String name = label.strip();
                if (!name.isEmpty() && tx.labels().add(item, new NewLabel("csv", name))) {
                  n[3]++;
                }
              }
            }
            for (Map.Entry<String, String> column : row.attributes().entrySet()) {
              String key = column.getKey();
              String value = column.getValue();
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

  /** A data row: the line it starts on, its three known columns and the other ones. */
  record Row(
      int line, String image, String caption, String labels, Map<String, String> attributes) {}

  /** CSV files larger than this are refused (the rows are held in memory). */
  static final long MAX_BYTES = 256L << 20;

  private static final Set<String> KNOWN = Set.of("image", "caption", "labels");

  /**
   * Reads every row, or refuses the file as a whole: not UTF-8 (a byte-order mark is skipped;
   * UTF-16 with its mark is read too), a CSV syntax error, or no {@code image} column. The text is
   * taken exactly as written: an archive's captions are not to be changed silently, so nothing is
   * replaced, and a row that cannot be imported as it is fails on its own (see {@link #importCsv}).
   */
  static List<Row> read(Path csv) {
    String text = decode(csv);
    if (text.isBlank()) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          csv,
          PathText.display(csv)
              + " is empty: nothing to import (the first line names the columns"
              + " image,caption,labels)");
    }
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.TRIM_SPACES);
    mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Row> rows = new ArrayList<>();
    int line = 0;
    try (MappingIterator<Map<String, String>> it =
        mapper.readerForMapOf(String.class).with(schema).readValues(new StringReader(text))) {
      while (true) {
        line = it.getCurrentLocation() == null ? line : it.getCurrentLocation().getLineNr();
        if (!it.hasNextValue()) {
          break;
        }
        Map<String, String> values = it.nextValue();
        rows.add(row(csv, line, values));
      }
    } catch (JacksonException e) {
      int at = e.getLocation() != null ? e.getLocation().getLineNr() : line;
      throw new TesseraException(
          Kind.BAD_INPUT,
          csv,
          PathText.display(csv)
              + (at > 0 ? " line " + at : "")
              + ": "
              + e.getOriginalMessage().replaceAll("\\s+", " ")
              + ": fix the file and import again (nothing was imported)",
          e);
    } catch (TesseraException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          csv,
          PathText.display(csv) + ": not a valid CSV file (" + e.getMessage() + ")",
          e);
    }
    return rows;
  }

  /** One data row; the header must have an {@code image} column (in any letter case). */
  private static Row row(Path csv, int line, Map<String, String> values) {
    Map<String, String> known = new HashMap<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String column = e.getKey().strip();
      if (KNOWN.contains(column.toLowerCase(Locale.ROOT))) {
        known.put(column.toLowerCase(Locale.ROOT), e.getValue());
      } else if (e.getValue() != null && !column.isEmpty()) {
        attributes.put(column, e.getValue());
      }
    }
    if (!values.keySet().stream().anyMatch(c -> c.strip().equalsIgnoreCase("image"))) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          csv,
          PathText.display(csv)
              + " has no 'image' column (its header: "
              + String.join(",", values.keySet())
              + "): the first line names the columns image,caption,labels");
    }
    return new Row(line, known.get("image"), known.get("caption"), known.get("labels"), attributes);
  }

  /** The file's text, decoded strictly; the first invalid byte refuses it with its line. */
  private static String decode(Path csv) {
    if (!Files.exists(csv)) {
      throw new TesseraException(Kind.NOT_FOUND, csv, "no such file: " + PathText.display(csv));
    }
    if (Files.isDirectory(csv)) {
      throw new TesseraException(
          Kind.BAD_INPUT, csv, PathText.display(csv) + " is a folder: give the CSV file");
    }
    byte[] bytes;
    try {
      if (Files.size(csv) > MAX_BYTES) {
        throw new TesseraException(
            Kind.BAD_INPUT,
            csv,
            PathText.display(csv)
                + " is larger than "
                + (MAX_BYTES >> 20)
                + " MB: split it into smaller files");
      }
      bytes = Files.readAllBytes(csv);
    } catch (IOException e) {
      throw new TesseraException(
          Kind.NOT_FOUND, csv, "cannot read " + PathText.display(csv) + " (" + e + ")", e);
    }
    Charset charset = StandardCharsets.UTF_8;
    int skip = 0;
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      skip = 3;
    } else if (startsWith(bytes, 0xFE, 0xFF)) {
      charset = StandardCharsets.UTF_16BE;
      skip = 2;
    } else if (startsWith(bytes, 0xFF, 0xFE)) {
      charset = StandardCharsets.UTF_16LE;
      skip = 2;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in)
          .toString();
    } catch (CharacterCodingException e) {
      int at = in.position(); // where the decoder stopped: the bad bytes
      int line = 1;
      for (int i = skip; i < at && i < bytes.length; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new TesseraException(
          Kind.BAD_INPUT,
          csv,
          String.format(
              Locale.ROOT,
              "%s line %d: not valid %s (byte 0x%02X): save the file as UTF-8 (e.g. iconv -f"
                  + " WINDOWS-1252 -t UTF-8) and import again (nothing was imported)",
              PathText.display(csv),
              line,
              charset.name(),
              at < bytes.length ? bytes[at] & 0xFF : 0),
          e);
    }
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The absolute path of a CSV row's image, or null when it leaves the CSV's folder (an absolute
   * path, or {@code ..} past the folder).
   */
  private static Path key(Path base, String image) {
    String relative = image.strip();
    if (relative.startsWith("/")) {
      return null;
    }
    Path path = PathText.resolve(base, relative).normalize();
    return path.startsWith(base) ? path : null;
  }
}

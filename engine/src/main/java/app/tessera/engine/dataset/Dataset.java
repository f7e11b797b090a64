package app.tessera.engine.dataset;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A dataset folder: {@code manifest.csv} ({@code id,image,caption,labels,split}, RFC 4180, UTF-8
 * with or without a byte-order mark, header row, columns in any order, extra columns ignored) and
 * the image files it names, relative to the folder. {@code labels} is {@code ;}-separated and may
 * be empty; the label vocabulary is taken from the data, in order of first appearance. See {@link
 * Split} for the meaning of {@code split}.
 *
 * <p>Reading checks every row (unique id, image file present inside the folder, non-blank caption,
 * known split) and reports the bad rows with their line numbers; nothing is read half-way.
 */
public final class Dataset {
  /** The manifest's file name inside a dataset folder. */
  public static final String MANIFEST = "manifest.csv";

  private static final List<String> COLUMNS = List.of("id", "image", "caption", "labels", "split");
  private static final int MAX_REPORTED_PROBLEMS = 20;

  private final Path folder;
  private final List<DatasetRow> rows;
  private final List<String> labelNames;
  private final String fingerprint;

  private Dataset(Path folder, List<DatasetRow> rows, List<String> labelNames, String fingerprint) {
    this.folder = folder;
    this.rows = List.copyOf(rows);
    this.labelNames = List.copyOf(labelNames);
    this.fingerprint = fingerprint;
  }

  /** Reads and checks the dataset folder {@code folder} (or its {@code manifest.csv}). */
  public static Dataset read(Path folder) throws IOException {
    Path dir = folder.toAbsolutePath().normalize();
    if (Files.isRegularFile(dir) && dir.getFileName().toString().equals(MANIFEST)) {
      dir = dir.getParent();
    }
    if (!Files.isDirectory(dir)) {
      throw new DatasetException("not a dataset folder (no such directory): " + folder);
    }
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new DatasetException("no " + MANIFEST + " in dataset folder " + dir);
    }
    byte[] bytes = Files.readAllBytes(manifest);
    String text = decodeUtf8(bytes, manifest);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return parse(dir, manifest, text, sha256(bytes));
  }

  private static Dataset parse(Path dir, Path manifest, String text, String fingerprint)
      throws DatasetException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<String> problems = new ArrayList<>();
    List<DatasetRow> rows = new ArrayList<>();
    Map<String, Integer> labelIndex = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    try (Reader reader = new StringReader(text);
        MappingIterator<String[]> records = mapper.readerFor(String[].class).readValues(reader)) {
      if (!records.hasNext()) {
        throw new DatasetException(manifest + " is empty (expected a header row)");
      }
      String[] header = records.next();
      Map<String, Integer> column = columns(header, manifest);
      while (records.hasNext()) {
        // Where the record starts (a quoted field may span several lines).
        int line = records.getCurrentLocation().getLineNr();
        String[] record = records.next();
        if (record.length == 1 && record[0].isBlank()) {
          continue; // blank line
        }
        String problem = checkRecordLength(record, header.length);
        DatasetRow row = null;
        if (problem == null) {
          try {
            row = row(dir, rows.size(), record, column, labelIndex, ids);
          } catch (IllegalArgumentException e) {
            problem = e.getMessage();
          }
        }
        if (problem != null) {
          problems.add("line " + line + ": " + problem);
          if (problems.size() >= MAX_REPORTED_PROBLEMS) {
            break;
          }
        } else {
          rows.add(row);
        }
      }
    } catch (DatasetException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(manifest + " is not valid CSV (RFC 4180): " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new DatasetException(
          manifest
              + " has bad rows"
              + (problems.size() >= MAX_REPORTED_PROBLEMS ? " (first " + problems.size() + ")" : "")
              + ":\n  "
              + String.join("\n  ", problems));
    }
    if (rows.isEmpty()) {
      throw new DatasetException(manifest + " has a header but no rows");
    }
    return new Dataset(dir, rows, new ArrayList<>(labelIndex.keySet()), fingerprint);
  }

  private static Map<String, Integer> columns(String[] header, Path manifest)
      throws DatasetException {
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      column.putIfAbsent(header[i].strip(), i);
    }
    List<String> missing = COLUMNS.stream().filter(c -> !column.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new DatasetException(
          manifest
              + ": header must name the columns "
              + String.join(",", COLUMNS)
              + "; missing "
              + String.join(", ", missing)
              + " (header was: "
              + String.join(",", header)
              + ")");
    }
    return column;
  }

  private static String checkRecordLength(String[] record, int expected) {
    return record.length == expected
        ? null
        : "expected " + expected + " fields, found " + record.length;
  }

  private static DatasetRow row(
      Path dir,
      int index,
      String[] record,
      Map<String, Integer> column,
      Map<String, Integer> labelIndex,
      Set<String> ids) {
    String id = record[column.get("id")].strip();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("empty id");
    }
    if (!ids.add(id)) {
      throw new IllegalArgumentException("duplicate id '" + id + "'");
    }
    String imageText = record[column.get("image")].strip();
    if (imageText.isEmpty()) {
      throw new IllegalArgumentException("row '" + id + "': empty image path");
    }
    Path image;
    try {
      Path relative = Path.of(imageText);
      image = dir.resolve(relative).normalize();
      if (relative.isAbsolute() || !image.startsWith(dir)) {
        throw new IllegalArgumentException(
            "row '" + id + "': image path must be inside the dataset folder: " + imageText);
      }
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("row '" + id + "': invalid image path " + imageText);
    }
    if (!Files.isRegularFile(image)) {
      throw new IllegalArgumentException("row '" + id + "': image file not found: " + imageText);
    }
    String caption = record[column.get("caption")].strip();
    if (caption.isEmpty()) {
      throw new IllegalArgumentException("row '" + id + "': empty caption");
    }
    String splitText = record[column.get("split")].strip();
    Split split = Split.parse(splitText);
    if (split == null) {
      throw new IllegalArgumentException(
          "row '"
              + id
              + "': unknown split '"
              + splitText
              + "' (expected "
              + Split.spellings()
              + ")");
    }
    int[] labels =
        java.util.Arrays.stream(record[column.get("labels")].split(";"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .mapToInt(name -> labelIndex.computeIfAbsent(name, n -> labelIndex.size()))
            .sorted()
            .toArray();
    return new DatasetRow(index, id, image, caption, labels, split);
  }

  private static String decodeUtf8(byte[] bytes, Path file) throws DatasetException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetException(file + " is not UTF-8 text", e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The dataset folder (absolute). */
  public Path folder() {
    return folder;
  }

  /** Every row, in manifest order. */
  public List<DatasetRow> rows() {
    return rows;
  }

  /** The label vocabulary, in order of first appearance; empty for an unlabelled dataset. */
  public List<String> labelNames() {
    return labelNames;
  }

  public boolean hasLabels() {
    return !labelNames.isEmpty();
  }

  /** SHA-256 of the manifest's bytes: identifies the data for caches. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The retrieval queries. */
  public List<DatasetRow> queryRows() {
    return rows.stream().filter(r -> r.split() == Split.QUERY).toList();
  }

  /** The retrieval database: every non-query row. */
  public List<DatasetRow> databaseRows() {
    return rows.stream().filter(r -> r.split().inDatabase()).toList();
  }

  /** The rows training may use. */
  public List<DatasetRow> trainingRows() {
    return rows.stream().filter(r -> r.split().forTraining()).toList();
  }

  /** Multi-hot label matrix of {@code subset} (n x {@link #labelNames()}.size()). */
  public float[][] labelMatrix(List<DatasetRow> subset) {
    float[][] matrix = new float[subset.size()][];
    for (int i = 0; i < subset.size(); i++) {
      matrix[i] = subset.get(i).multiHot(labelNames.size());
    }
    return matrix;
  }

  /**
   * Splits the training rows into a part to train on and a validation part held out for early
   * stopping and model selection. Rows with the same caption stay on the same side (a caption
   * shared by several images, e.g. the same emoji in several styles, must not leak across), and the
   * choice depends only on the captions, {@code fraction} and {@code seed}.
   */
  public TrainValidation holdOutValidation(double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1): " + fraction);
    }
    List<DatasetRow> training = trainingRows();
    List<String> captions = training.stream().map(DatasetRow::caption).distinct().sorted().toList();
    List<String> shuffled = new ArrayList<>(captions);
    Collections.shuffle(shuffled, new Random(seed));
    Map<String, Integer> captionCount = new HashMap<>();
    training.forEach(r -> captionCount.merge(r.caption(), 1, Integer::sum));
    Set<String> held = new HashSet<>();
    int target = (int) Math.round(training.size() * fraction);
    int heldRows = 0;
    for (String caption : shuffled) {
      if (heldRows >= target) {
        break;
      }
      held.add(caption);
      heldRows += captionCount.get(caption);
    }
    List<DatasetRow> fit = new ArrayList<>();
    List<DatasetRow> validation = new ArrayList<>();
    for (DatasetRow row : training) {
      (held.contains(row.caption()) ? validation : fit).add(row);
    }
    return new TrainValidation(fit, validation);
  }

  /** Training rows split into the rows trained on and the validation rows held out. */
  public record TrainValidation(List<DatasetRow> train, List<DatasetRow> validation) {
    public TrainValidation {
      train = List.copyOf(train);
      validation = List.copyOf(validation);
    }
  }

  @Override
  public String toString() {
    return "Dataset[" + folder + ", " + rows.size() + " rows, " + labelNames.size() + " labels]";
  }
}

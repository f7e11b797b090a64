package app.tessera.spark;

import app.tessera.engine.CodedArchive;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the job's output ({@code OUT/_tessera.json} and its Parquet files, on any Hadoop file
 * system) as a {@link CodedArchive} and its entries, one row group in memory at a time. It needs
 * Parquet and Hadoop, not a Spark session: {@code import-codes} runs on Spark's jars, nothing of
 * them reaches the desktop app (docs/decisions/0009-spark-scale-out.md).
 */
final class CodesReader {
  private final Path out;
  private final HadoopFiles files;
  private final RootMap roots;

  CodesReader(Path out, HadoopFiles files, RootMap roots) {
    this.out = out;
    this.files = files;
    this.roots = roots;
  }

  /** The job file, checked: its format and version, and the models, sizes and options it names. */
  CodedArchive archive() throws IOException {
    Path jobFile = new Path(out, CodeArchive.JOB_FILE);
    JsonNode job;
    try (InputStream in = files.open(jobFile)) {
      job = new ObjectMapper().readTree(in);
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new IOException(out + " is not an output of the Spark job: it has no " + jobFile, e);
    }
    if (!"tessera-codes".equals(job.path("format").asText())
        || job.path("version").asInt() != CodeArchive.FORMAT_VERSION) {
      throw new IOException(
          jobFile
              + " is format '"
              + job.path("format").asText()
              + "' version "
              + job.path("version").asText()
              + "; this import reads tessera-codes version "
              + CodeArchive.FORMAT_VERSION);
    }
    List<CodedArchive.Model> models = new ArrayList<>();
    for (JsonNode m : job.path("models")) {
      models.add(
          new CodedArchive.Model(
              required(m, "name", jobFile),
              required(m, "method", jobFile),
              m.path("bits").asInt(),
              required(m, "imageEncoder", jobFile),
              required(m, "textEncoder", jobFile),
              m.path("description").asText(null),
              localBundle(m.path("path").asText(null))));
    }
    if (models.isEmpty()) {
      throw new IOException(jobFile + " names no model");
    }
    return new CodedArchive(
        models,
        job.path("thumbnailSize").asInt(),
        job.path("modelInputSize").asInt(),
        job.path("labelsFromFolders").asBoolean());
  }

  private static String required(JsonNode node, String field, Path file) throws IOException {
    String value = node.path(field).asText(null);
    if (value == null || value.isBlank()) {
      throw new IOException(file + ": a model without '" + field + "'");
    }
    return value;
  }

  /** The bundle the job used, when it is a folder on this machine. */
  private static java.nio.file.Path localBundle(String path) {
    if (path == null) {
      return null;
    }
    java.nio.file.Path local = HadoopFiles.local(new Path(path));
    return local != null && Files.isRegularFile(local.resolve("bundle.json")) ? local : null;
  }

  /** The Parquet files of the output: items first, then failures, each in name order. */
  List<Path> parts() throws IOException {
    FileSystem fs = files.fs(out);
    List<Path> parts = new ArrayList<>();
    for (String outcome : List.of(Schemas.OK, Schemas.FAILED)) {
      Path dir = new Path(out, Schemas.OUTCOME + "=" + outcome);
      if (!fs.exists(dir)) {
        continue;
      }
      FileStatus[] listed = fs.listStatus(dir, p -> p.getName().endsWith(".parquet"));
      Arrays.sort(listed);
      for (FileStatus status : listed) {
        parts.add(status.getPath());
      }
    }
    return parts;
  }

  /**
   * The entries of {@code parts}, read lazily; an I/O error is thrown as {@link
   * UncheckedIOException}. Close it to release the open file early.
   */
  Entries entries(List<Path> parts) {
    return new Entries(parts);
  }

  /** The output's rows, file by file and row group by row group. */
  final class Entries implements Iterator<CodedArchive.Entry>, AutoCloseable {
    private final Iterator<Path> parts;
    private ParquetFileReader reader;
    private RecordReader<Group> records;
    private long left;

    Entries(List<Path> parts) {
      this.parts = parts.iterator();
    }

    @Override
    public boolean hasNext() {
      try {
        while (left == 0) {
          PageReadStore pages = reader == null ? null : reader.readNextRowGroup();
          if (pages != null) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            records =
                new ColumnIOFactory()
                    .getColumnIO(schema)
                    .getRecordReader(pages, new GroupRecordConverter(schema));
            left = pages.getRowCount();
            continue;
          }
          close();
          if (!parts.hasNext()) {
            return false;
          }
          Path part = parts.next();
          reader = ParquetFileReader.open(HadoopInputFile.fromPath(part, files.fs(part).getConf()));
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public CodedArchive.Entry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      left--;
      return entry(records.read());
    }

    @Override
    public void close() {
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException ignored) {
          // read-only: nothing is lost
        }
        reader = null;
      }
    }
  }

  /** One output row as an entry (see {@link Schemas#OUTPUT}). */
  private CodedArchive.Entry entry(Group row) {
    String root = row.getString("root", 0);
    String relPath = row.getString("rel_path", 0);
    long size = has(row, "size") ? row.getLong("size", 0) : -1;
    long mtime = has(row, "mtime_ns") ? row.getLong("mtime_ns", 0) : 0;
    long stamp = has(row, "sidecar_stamp") ? row.getLong("sidecar_stamp", 0) : 0;
    String fingerprint = string(row, "fingerprint");
    String failure = string(row, "failure");
    java.nio.file.Path localRoot = roots.local(root);
    if (failure != null) {
      return new CodedArchive.Entry(localRoot, relPath, size, mtime, stamp, null, failure, null);
    }
    List<CodedArchive.Caption> captions = new ArrayList<>();
    for (Group c : list(row, "captions")) {
      captions.add(
          new CodedArchive.Caption(
              c.getString("source", 0),
              string(c, "field"),
              c.getString("text", 0),
              string(c, "note"),
              floatsByKey(c, "features"),
              longsByKey(c, "codes")));
    }
    List<CodedArchive.Label> labels = new ArrayList<>();
    for (Group l : list(row, "labels")) {
      labels.add(new CodedArchive.Label(l.getString("source", 0), l.getString("name", 0)));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    if (has(row, "attributes")) {
      Group map = row.getGroup("attributes", 0);
      for (int i = 0; i < map.getFieldRepetitionCount("key_value"); i++) {
        Group kv = map.getGroup("key_value", i);
        String value = string(kv, "value");
        attributes.put(kv.getString("key", 0), value == null ? "" : value);
      }
    }
    CodedArchive.Image image =
        new CodedArchive.Image(
            row.getString("format", 0),
            row.getInteger("width", 0),
            row.getInteger("height", 0),
            picture(row.getGroup("thumbnail", 0)),
            has(row, "model_input") ? picture(row.getGroup("model_input", 0)) : null,
            captions,
            labels,
            attributes,
            has(row, "manifest_row") ? row.getLong("manifest_row", 0) : -1,
            floatsByKey(row, "features"),
            longsByKey(row, "codes"));
    return new CodedArchive.Entry(localRoot, relPath, size, mtime, stamp, fingerprint, null, image);
  }

  private static boolean has(Group g, String field) {
    return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0;
  }

  private static String string(Group g, String field) {
    return has(g, field) ? g.getString(field, 0) : null;
  }

  private static CodedArchive.Picture picture(Group p) {
    return new CodedArchive.Picture(
        p.getInteger("width", 0),
        p.getInteger("height", 0),
        p.getString("format", 0),
        p.getBinary("bytes", 0).getBytes());
  }

  /** The elements of a Parquet LIST (three levels: field / list / element). */
  private static List<Group> list(Group g, String field) {
    List<Group> out = new ArrayList<>();
    if (has(g, field)) {
      Group list = g.getGroup(field, 0);
      for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
        out.add(list.getGroup("list", i).getGroup("element", 0));
      }
    }
    return out;
  }

  /** A MAP of string to LIST of int64 (codes by model). */
  private static Map<String, long[]> longsByKey(Group g, String field) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Group> e : mapOfLists(g, field).entrySet()) {
      Group list = e.getValue();
      long[] values = new long[list == null ? 0 : list.getFieldRepetitionCount("list")];
      for (int i = 0; i < values.length; i++) {
        values[i] = list.getGroup("list", i).getLong("element", 0);
      }
      out.put(e.getKey(), values);
    }
    return out;
  }

  /** A MAP of string to LIST of float (features by encoder). */
  private static Map<String, float[]> floatsByKey(Group g, String field) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Group> e : mapOfLists(g, field).entrySet()) {
      Group list = e.getValue();
      float[] values = new float[list == null ? 0 : list.getFieldRepetitionCount("list")];
      for (int i = 0; i < values.length; i++) {
        values[i] = list.getGroup("list", i).getFloat("element", 0);
      }
      out.put(e.getKey(), values);
    }
    return out;
  }

  private static Map<String, Group> mapOfLists(Group g, String field) {
    Map<String, Group> out = new LinkedHashMap<>();
    if (has(g, field)) {
      Group map = g.getGroup(field, 0);
      for (int i = 0; i < map.getFieldRepetitionCount("key_value"); i++) {
        Group kv = map.getGroup("key_value", i);
        out.put(kv.getString("key", 0), has(kv, "value") ? kv.getGroup("value", 0) : null);
      }
    }
    return out;
  }
}

package app.tessera.spark;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.struct;

import app.tessera.engine.ingest.ImageFileReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The files to read ({@link Schemas#WORK} rows), from folders or manifests.
 *
 * <p>Folders are listed by the driver through Hadoop's recursive listing and each image is paired
 * with its caption sidecars as {@code tessera index} pairs them. Manifests are read by Spark itself
 * (no listing at all: the path for archives too large to list on one machine); their images get the
 * manifest's captions, labels and attributes and their embedded metadata, not sidecars.
 */
final class WorkList {
  private WorkList() {}

  /** Columns of a manifest that are not attributes. */
  private static final Set<String> MANIFEST_COLUMNS = Set.of("image", "path", "caption", "labels");

  static Dataset<Row> of(SparkSession spark, JobOptions options, HadoopFiles files)
      throws IOException {
    Dataset<Row> work = spark.createDataFrame(listFolders(options.inputs(), files), Schemas.WORK);
    for (int i = 0; i < options.manifests().size(); i++) {
      work = work.unionByName(manifest(spark, options.manifests().get(i), i, files));
    }
    return work;
  }

  /** The images under {@code inputs} with their sidecars (driver side). */
  static List<Row> listFolders(List<String> inputs, HadoopFiles files) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String input : inputs) {
      Path given = new Path(input);
      FileSystem fs = files.fs(given);
      Path root = fs.makeQualified(given);
      FileStatus status;
      try {
        status = fs.getFileStatus(root);
      } catch (FileNotFoundException e) {
        throw new IOException("no such folder: " + input, e);
      }
      if (!status.isDirectory()) {
        throw new IOException("not a folder: " + input);
      }
      Map<Path, List<FileStatus>> byFolder = new LinkedHashMap<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus file = it.next();
        String name = file.getPath().getName();
        if (file.isFile() && (ImageFileReader.isImage(name) || ImageFileReader.isSidecar(name))) {
          byFolder.computeIfAbsent(file.getPath().getParent(), f -> new ArrayList<>()).add(file);
        }
      }
      for (Map.Entry<Path, List<FileStatus>> folder : byFolder.entrySet()) {
        collect(root, folder.getKey(), folder.getValue(), rows);
      }
    }
    return rows;
  }

  /** Pairs the images of one folder with their sidecars. */
  private static void collect(Path root, Path folder, List<FileStatus> entries, List<Row> out)
      throws IOException {
    Map<String, FileStatus> sidecars = new HashMap<>();
    for (FileStatus e : entries) {
      if (ImageFileReader.isSidecar(e.getPath().getName())) {
        sidecars.put(e.getPath().getName().toLowerCase(Locale.ROOT), e);
      }
    }
    String folderName = folder.equals(root) ? null : folder.getName();
    for (FileStatus e : entries) {
      String name = e.getPath().getName();
      if (!ImageFileReader.isImage(name)) {
        continue;
      }
      List<String> found = new ArrayList<>();
      long stamp = 0;
      for (String sidecarName : ImageFileReader.sidecarNames(name)) {
        FileStatus s = sidecars.get(sidecarName);
        if (s != null) {
          found.add(s.getPath().toString());
          stamp =
              ImageFileReader.sidecarStamp(
                  stamp, s.getPath().getName(), s.getLen(), HadoopFiles.mtimeNs(s));
        }
      }
      out.add(
          RowFactory.create(
              e.getPath().toString(),
              root.toString(),
              relative(root, e.getPath()),
              e.getLen(),
              HadoopFiles.mtimeNs(e),
              found,
              folderName,
              List.of(),
              stamp));
    }
  }

  /** {@code path} relative to {@code root}, '/'-separated (as the catalogue keeps it). */
  static String relative(Path root, Path path) {
    String r = root.toUri().getPath();
    String p = path.toUri().getPath();
    String prefix = r.endsWith("/") ? r : r + "/";
    return p.startsWith(prefix) ? p.substring(prefix.length()) : path.getName();
  }

  /**
   * A manifest's rows grouped by image: CSV with a header (RFC 4180, UTF-8) or Parquet, columns
   * {@code image} (or {@code path}; relative to the manifest's folder, or absolute), {@code
   * caption}, {@code labels} (';'-separated, or an array), every other column an attribute, as in
   * {@code tessera import-captions}.
   */
  private static Dataset<Row> manifest(
      SparkSession spark, String file, int index, HadoopFiles files) throws IOException {
    Path manifest = files.fs(new Path(file)).makeQualified(new Path(file));
    boolean parquet = manifest.getName().toLowerCase(Locale.ROOT).endsWith(".parquet");
    Dataset<Row> rows =
        parquet
            ? spark.read().parquet(manifest.toString())
            : spark
                .read()
                .option("header", "true")
                .option("multiLine", "true")
                .option("escape", "\"")
                .option("ignoreLeadingWhiteSpace", "true")
                .option("ignoreTrailingWhiteSpace", "true")
                .option("encoding", "UTF-8")
                .csv(manifest.toString());
    String first = rows.columns().length == 0 ? "" : rows.columns()[0];
    if (first.startsWith("\uFEFF")) {
      rows = rows.withColumnRenamed(first, first.substring(1)); // a byte-order mark
    }
    List<String> columns = List.of(rows.columns());
    String image = columns.contains("image") ? "image" : columns.contains("path") ? "path" : null;
    if (image == null) {
      throw new IOException(file + " has no 'image' (or 'path') column (columns: " + columns + ")");
    }
    Column labels = lit(null).cast(DataTypes.StringType);
    if (columns.contains("labels")) {
      labels =
          rows.schema().apply("labels").dataType() instanceof ArrayType
              ? array_join(col("labels"), ";")
              : col("labels").cast(DataTypes.StringType);
    }
    List<Column> attributes = new ArrayList<>();
    for (String c : columns) {
      if (!MANIFEST_COLUMNS.contains(c)) {
        attributes.add(lit(c));
        attributes.add(col("`" + c + "`").cast(DataTypes.StringType));
      }
    }
    Dataset<Row> shaped =
        rows.select(
            col("`" + image + "`").cast(DataTypes.StringType).as("image"),
            struct(
                    monotonically_increasing_id().plus((long) index << 40).as("row"),
                    columns.contains("caption")
                        ? col("caption").cast(DataTypes.StringType).as("caption")
                        : lit(null).cast(DataTypes.StringType).as("caption"),
                    labels.as("labels"),
                    (attributes.isEmpty()
                            ? lit(null)
                                .cast(
                                    DataTypes.createMapType(
                                        DataTypes.StringType, DataTypes.StringType))
                            : map(attributes.toArray(Column[]::new)))
                        .as("attributes"))
                .as("m"));
    StructType resolved =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("path", DataTypes.StringType, false),
                DataTypes.createStructField("root", DataTypes.StringType, false),
                DataTypes.createStructField("rel_path", DataTypes.StringType, false),
                DataTypes.createStructField("folder", DataTypes.StringType, true),
                DataTypes.createStructField("m", Schemas.MANIFEST_ROW, false)));
    String base = manifest.getParent().toString();
    Dataset<Row> located =
        shaped
            .filter(col("image").isNotNull())
            .map((MapFunction<Row, Row>) r -> locate(base, r), Encoders.row(resolved));
    return located
        .groupBy("path", "root", "rel_path", "folder")
        .agg(collect_list("m").as("manifest_rows"))
        .select(
            col("path"),
            col("root"),
            col("rel_path"),
            lit(null).cast(DataTypes.LongType).as("size"),
            lit(null).cast(DataTypes.LongType).as("mtime_ns"),
            lit(new String[0]).as("sidecars"),
            col("folder"),
            col("manifest_rows"),
            lit(0L).as("sidecar_stamp"));
  }

  /** A manifest row's image as a full path, with its root (the manifest's folder) and folder. */
  private static Row locate(String base, Row r) {
    Path root = new Path(base);
    String image = r.getString(0).strip();
    Path given = new Path(image);
    Path path;
    if (given.toUri().getScheme() != null) {
      path = given; // a full URI
    } else if (given.isAbsolute()) {
      path = new Path(root.toUri().getScheme(), root.toUri().getAuthority(), image);
    } else {
      path = new Path(root, image);
    }
    Path parent = path.getParent();
    boolean under = path.toUri().getPath().startsWith(root.toUri().getPath() + "/");
    Path fileRoot = under ? root : parent;
    String folder = parent.equals(fileRoot) ? null : parent.getName();
    return RowFactory.create(
        path.toString(), fileRoot.toString(), relative(fileRoot, path), folder, r.getStruct(1));
  }
}

package app.tessera.spark;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The job's row layouts: its work list and its Parquet output (docs/scale-out.md). */
final class Schemas {
  private Schemas() {}

  /** Partition column of the output: {@value #OK} items, {@value #FAILED} failures. */
  static final String OUTCOME = "outcome";

  static final String OK = "ok";
  static final String FAILED = "failed";

  /** One manifest row about an image: its order in the manifest, caption, labels, attributes. */
  static final StructType MANIFEST_ROW =
      createStructType(
          List.of(
              field("row", LongType, false),
              field("caption", StringType),
              field("labels", StringType),
              field("attributes", createMapType(StringType, StringType))));

  /**
   * One image file to read. Size and mtime are null when not listed (manifest mode); the sidecar
   * stamp is the one a scan gives it (0 without sidecars).
   */
  static final StructType WORK =
      createStructType(
          List.of(
              field("path", StringType, false),
              field("root", StringType, false),
              field("rel_path", StringType, false),
              field("size", LongType),
              field("mtime_ns", LongType),
              field("sidecars", createArrayType(StringType, false)),
              field("folder", StringType),
              field("manifest_rows", createArrayType(MANIFEST_ROW, false)),
              field("sidecar_stamp", LongType, false)));

  static final StructType STORED_IMAGE =
      createStructType(
          List.of(
              field("width", IntegerType, false),
              field("height", IntegerType, false),
              field("format", StringType, false),
              field("bytes", BinaryType, false)));

  /** Float features by encoder id. */
  static final DataType FEATURES = createMapType(StringType, createArrayType(FloatType, false));

  /** Packed codes ({@code BinaryCodes} layout: ceil(bits/64) words) by model bundle name. */
  static final DataType CODES = createMapType(StringType, createArrayType(LongType, false));

  static final StructType CAPTION =
      createStructType(
          List.of(
              field("source", StringType, false),
              field("field", StringType),
              field("text", StringType, false),
              field("note", StringType),
              field("features", FEATURES),
              field("codes", CODES, false)));

  static final StructType LABEL =
      createStructType(
          List.of(field("source", StringType, false), field("name", StringType, false)));

  /**
   * The output: one row per image file. Failed files keep path, root, rel_path, size, mtime_ns, the
   * fingerprint when it was read, and the reason; their other columns are null.
   */
  static final StructType OUTPUT =
      createStructType(
          List.of(
              field("path", StringType, false),
              field("root", StringType, false),
              field("rel_path", StringType, false),
              field("size", LongType),
              field("mtime_ns", LongType),
              field("sidecar_stamp", LongType, false),
              field("fingerprint", StringType),
              field("format", StringType),
              field("width", IntegerType),
              field("height", IntegerType),
              field("thumbnail", STORED_IMAGE),
              field("model_input", STORED_IMAGE),
              field("captions", createArrayType(CAPTION, false)),
              field("labels", createArrayType(LABEL, false)),
              field("attributes", createMapType(StringType, StringType)),
              field("manifest_row", LongType),
              field("features", FEATURES),
              field("codes", CODES),
              field("failure", StringType),
              field(OUTCOME, StringType, false)));

  private static StructField field(String name, DataType type) {
    return createStructField(name, type, true);
  }

  private static StructField field(String name, DataType type, boolean nullable) {
    return createStructField(name, type, nullable);
  }
}

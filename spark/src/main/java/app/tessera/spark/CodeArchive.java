package app.tessera.spark;

import static org.apache.spark.sql.functions.col;

import app.tessera.engine.Device;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.ingest.ImageDecoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark job: decodes, encodes and hashes an archive with the engine's own code and writes the
 * result as Parquet, ready for {@code tessera import-codes} (docs/scale-out.md).
 *
 * <pre>
 * spark-submit --class app.tessera.spark.CodeArchive tessera-spark-job.jar \
 *     --input s3a://archive/photos --model hdfs:///tessera/bundle --out s3a://archive/codes
 * </pre>
 *
 * Writes {@code OUT/outcome=ok/} (one row per image file: fingerprint, path, size, mtime, captions,
 * labels, thumbnail, model input, features if asked, codes per model), {@code OUT/outcome=failed/}
 * (one row per file that could not be read, with the reason) and {@code OUT/_tessera.json} (the
 * models, their encoders and the counts).
 */
@Command(
    name = "tessera-spark",
    mixinStandardHelpOptions = true,
    description = "Decode, encode and hash images on Spark with Tessera's engine; write Parquet.")
public final class CodeArchive implements Callable<Integer> {
  /** The job's description of its output, beside the Parquet files. */
  public static final String JOB_FILE = "_tessera.json";

  /** The version of the output's layout ({@link Schemas#OUTPUT}) that {@link #JOB_FILE} names. */
  public static final int FORMAT_VERSION = 1;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "A folder to read recursively (local, hdfs://, s3a://...). Repeatable.")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description =
          "A CSV or Parquet file: image (or path), caption, labels; other columns become"
              + " attributes. Repeatable.")
  List<String> manifests = new ArrayList<>();

  @Option(
      names = "--model",
      paramLabel = "DIR",
      required = true,
      description = "A model bundle folder ('tessera train --save DIR'). Repeatable.")
  List<String> models = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  String out;

  @Option(names = "--features", description = "Also write the float features.")
  boolean features;

  @Option(
      names = "--labels-from-folders",
      description = "Label each image with the name of the folder it is in.")
  boolean labelsFromFolders;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Spark partitions (0: about 256 files each). Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Images per encoder call. Default: ${DEFAULT-VALUE}.")
  int batch = 64;

  @Option(names = "--device", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
  Device device = Device.AUTO;

  @Option(names = "--overwrite", description = "Replace an existing output folder.")
  boolean overwrite;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CodeArchive()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    JobOptions options =
        new JobOptions(
            inputs,
            manifests,
            models,
            out,
            features,
            labelsFromFolders,
            partitions,
            batch,
            device,
            overwrite);
    SparkSession spark = SparkSession.builder().appName("tessera-code-archive").getOrCreate();
    try {
      Summary summary = run(spark, options);
      System.out.printf(
          "%d images coded, %d failed, in %.1f s (%.1f images/s); output: %s%n",
          summary.coded(),
          summary.failed(),
          summary.seconds(),
          (summary.coded() + summary.failed()) / summary.seconds(),
          options.out());
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** What a run did. */
  public record Summary(long coded, long failed, double seconds, int partitions) {}

  /** Runs the job on {@code spark}; the output is written when this returns. */
  public static Summary run(SparkSession spark, JobOptions options) throws IOException {
    long start = System.nanoTime();
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    Path out = new Path(options.out());
    if (!options.overwrite() && files.fs(out).exists(out)) {
      throw new IOException("the output folder exists (give --overwrite to replace it): " + out);
    }
    // The bundles are opened here first: a wrong path or a damaged bundle fails now, not in every
    // task; and their exact encoder ids go into the job file. (In local mode the executors share
    // this JVM and so these very bundles.)
    List<Map<String, Object>> modelInfo = describe(options, files);

    Dataset<Row> work = WorkList.of(spark, options, files);
    long files0 = work.count();
    int n =
        options.partitions() > 0
            ? options.partitions()
            : (int)
                Math.max(
                    spark.sparkContext().defaultParallelism(),
                    Math.min(100_000, (files0 + 255) / 256));
    JavaRDD<Row> coded =
        work.repartition(n).javaRDD().mapPartitions(new PartitionCoder(options, files));
    spark
        .createDataFrame(coded, Schemas.OUTPUT)
        .write()
        .mode(options.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .partitionBy(Schemas.OUTCOME)
        .parquet(out.toString());

    Dataset<Row> written = spark.read().parquet(out.toString());
    long ok = written.filter(col(Schemas.OUTCOME).equalTo(Schemas.OK)).count();
    long failed = written.filter(col(Schemas.OUTCOME).equalTo(Schemas.FAILED)).count();
    double seconds = (System.nanoTime() - start) / 1e9;
    writeJobFile(options, files, out, modelInfo, ok, failed, seconds);
    return new Summary(ok, failed, seconds, n);
  }

  private static List<Map<String, Object>> describe(JobOptions options, HadoopFiles files) {
    ExecutorModels opened = ExecutorModels.get(options.models(), options.device(), files);
    List<Map<String, Object>> out = new ArrayList<>();
    var names = new HashSet<String>();
    for (int i = 0; i < opened.bundles().size(); i++) {
      ModelBundle bundle = opened.bundles().get(i);
      ModelBundle.Manifest m = bundle.manifest();
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("two bundles are named " + m.name());
      }
      if (bundle.hashModel().readsTokens()) { // SCAHN: the job caches no token features yet
        throw new IllegalArgumentException(
            m.name()
                + " ("
                + m.method()
                + ") reads token-level features, which this job does not compute; code it with"
                + " `tessera index` or use a bundle of another method");
      }
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("name", m.name());
      model.put("method", m.method());
      model.put("bits", m.bits());
      model.put("imageEncoder", bundle.imageEncoder().id());
      model.put("textEncoder", bundle.textEncoder().id());
      model.put("description", m.description());
      model.put("path", options.models().get(i));
      out.add(model);
    }
    return out;
  }

  private static void writeJobFile(
      JobOptions options,
      HadoopFiles files,
      Path out,
      List<Map<String, Object>> models,
      long ok,
      long failed,
      double seconds)
      throws IOException {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("format", "tessera-codes");
    job.put("version", FORMAT_VERSION);
    job.put("models", models);
    ImageDecoder.Sizes sizes = ImageDecoder.Sizes.DEFAULT;
    job.put("thumbnailSize", sizes.thumbnail());
    job.put("modelInputSize", sizes.modelInput());
    job.put("labelsFromFolders", options.labelsFromFolders());
    job.put("features", options.features());
    job.put("inputs", options.inputs());
    job.put("manifests", options.manifests());
    job.put("coded", ok);
    job.put("failed", failed);
    job.put("seconds", Math.round(seconds * 10) / 10.0);
    Path file = new Path(out, JOB_FILE);
    try (OutputStream stream = files.fs(file).create(file, true)) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(stream, job);
    }
  }
}

package app.tessera.spark;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.CodeImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.api.Library;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera import-codes OUT... --library L}: loads the job's output into a library as
 * indexing and coding its files there would have (docs/scale-out.md). It runs on Spark's jars (for
 * Parquet and Hadoop; no Spark session is started), so the desktop app does not carry them:
 *
 * <pre>
 * spark-submit --class app.tessera.spark.ImportCodes tessera-spark-job.jar \
 *     hdfs:///archive/codes --library ~/archive.tessera --root-map hdfs:///archive/photos=/mnt/photos
 * </pre>
 */
@Command(
    name = "import-codes",
    mixinStandardHelpOptions = true,
    description = {
      "Load the Spark job's output (its Parquet files and _tessera.json) into a library: the same"
          + " files, images, thumbnails, captions, labels and codes as 'tessera index' and coding"
          + " would give; copies and moves recognised by content. Running it again changes nothing;"
          + " a killed run resumes. Nothing is re-encoded: the imported items are coded."
    })
public final class ImportCodes implements Callable<Integer> {
  /** Files per transaction by default. */
  public static final int BATCH = 512;

  @Parameters(
      paramLabel = "OUT",
      arity = "1..*",
      description = "An output folder of the job (local, hdfs://, s3a://...).")
  List<String> outputs = new ArrayList<>();

  @Option(
      names = "--library",
      paramLabel = "FILE",
      description = "Library (SQLite catalogue) to import into. Default: ${DEFAULT-VALUE}")
  java.nio.file.Path library = AppDirs.defaultLibrary();

  @Option(
      names = "--root-map",
      paramLabel = "URI_PREFIX=LOCAL_DIR",
      description =
          "Where an input folder of the job is on this machine (repeatable); local input folders"
              + " need none.")
  List<String> rootMaps = new ArrayList<>();

  @Option(
      names = "--batch",
      paramLabel = "N",
      description =
          "Files per transaction (a killed import loses at most one batch). Default:"
              + " ${DEFAULT-VALUE}.")
  int batch = BATCH;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ImportCodes()).execute(args));
  }

  @Override
  public Integer call() {
    PrintStream out = System.out;
    try {
      boolean failed = false;
      for (CodeImportReport report :
          run(outputs, library, rootMaps, batch, new Progress(System.err), new Cancellation())) {
        out.println(report.summary());
        report.files().failures().stream()
            .limit(20)
            .forEach(f -> out.printf("  failed: %s: %s%n", f.path(), f.reason()));
        if (report.files().failed() > 20) {
          out.printf("  ... and %d more%n", report.files().failed() - 20);
        }
        failed |= report.files().failed() > 0;
      }
      return failed ? 1 : 0;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      System.err.println("import-codes: " + e.getMessage());
      return 2;
    }
  }

  /** Imports each output folder in turn into {@code library}; returns their reports. */
  public static List<CodeImportReport> run(
      List<String> outputs,
      java.nio.file.Path library,
      List<String> rootMaps,
      int batch,
      IndexListener listener,
      Cancellation cancel)
      throws IOException {
    HadoopFiles files = new HadoopFiles(new Configuration());
    RootMap roots = new RootMap(rootMaps);
    List<CodeImportReport> reports = new ArrayList<>();
    try (Library lib = Library.open(library)) {
      for (String output : outputs) {
        CodesReader reader = new CodesReader(new Path(output), files, roots);
        var archive = reader.archive();
        try (CodesReader.Entries entries = reader.entries(reader.parts())) {
          reports.add(lib.importCodes(archive, entries, batch, listener, cancel));
        }
      }
    }
    return reports;
  }

  /** One line per committed batch on standard error. */
  private record Progress(PrintStream err) implements IndexListener {
    @Override
    public void progress(int done, int total) {
      err.printf("imported %d files%n", done);
    }
  }
}

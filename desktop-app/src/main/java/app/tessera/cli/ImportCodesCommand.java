package app.tessera.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera import-codes}: loads the Spark job's output into a library. The Parquet reader
 * lives in the job jar and runs on Spark's own jars (docs/decisions/0009-spark-scale-out.md), so
 * the desktop app carries neither Parquet nor Hadoop; this command finds {@code spark-submit} and
 * the job jar and hands them the arguments, or says what is missing.
 */
@Command(
    name = "import-codes",
    mixinStandardHelpOptions = true,
    description = {
      "Load the output of the Spark job (docs/scale-out.md) into a library, as 'tessera index' and"
          + " coding would have made it: same rows, same codes, copies and moves by fingerprint;"
          + " crash-safe (run it again to go on).",
      "Runs app.tessera.spark.ImportCodes from the job jar through spark-submit (found with"
          + " --spark-submit, $SPARK_HOME/bin or PATH); the job jar comes from --job-jar or"
          + " $TESSERA_SPARK_JOB."
    })
public final class ImportCodesCommand implements Callable<Integer> {
  static final String IMPORT_CLASS = "app.tessera.spark.ImportCodes";

  @Parameters(arity = "1..*", paramLabel = "OUT", description = "Output folders of the job.")
  List<String> outputs;

  @Mixin LibraryOption library;

  @Option(
      names = "--root-map",
      paramLabel = "URI_PREFIX=LOCAL_DIR",
      description = "Where an input folder of the job is on this machine (repeatable).")
  List<String> rootMaps = List.of();

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Files per transaction (1 or more). Default: ${DEFAULT-VALUE}")
  int batch = 512;

  @Option(names = "--spark-submit", paramLabel = "FILE", description = "The spark-submit to use.")
  Path sparkSubmit;

  @Option(
      names = "--job-jar",
      paramLabel = "FILE",
      description = "tessera-spark-job.jar (./mvnw -B -pl spark -am package -Pjob -DskipTests).")
  Path jobJar;

  @Spec CommandSpec spec;

  /** Where to look for programs; the environment in tests. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (batch < 1) {
      return refuse("--batch must be 1 or more (got " + batch + ")");
    }
    Path submit = sparkSubmit != null ? sparkSubmit : findSparkSubmit();
    if (submit == null || !Files.isExecutable(submit)) {
      return refuse(
          "no spark-submit found"
              + (submit != null ? " at " + submit : "")
              + "; import-codes runs on a Spark 4.2 installation: set SPARK_HOME, put spark-submit"
              + " on PATH or pass --spark-submit FILE");
    }
    Path jar = jobJar != null ? jobJar : pathFromEnvironment("TESSERA_SPARK_JOB");
    if (jar == null || !Files.isRegularFile(jar)) {
      return refuse(
          "no job jar"
              + (jar != null ? " at " + jar : "")
              + "; build it with ./mvnw -B -pl spark -am package -Pjob -DskipTests and pass"
              + " --job-jar spark/target/tessera-spark-job.jar (or set TESSERA_SPARK_JOB)");
    }
    List<String> command = new ArrayList<>(List.of(submit.toString(), "--class", IMPORT_CLASS));
    command.add(jar.toString());
    command.addAll(outputs);
    command.addAll(List.of("--library", library.library().toAbsolutePath().toString()));
    for (String map : rootMaps) {
      command.addAll(List.of("--root-map", map));
    }
    command.addAll(List.of("--batch", Integer.toString(batch)));
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private Path findSparkSubmit() {
    Path home = pathFromEnvironment("SPARK_HOME");
    if (home != null) {
      return home.resolve("bin").resolve("spark-submit");
    }
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "spark-submit"))) {
        return Path.of(dir, "spark-submit");
      }
    }
    return null;
  }

  private Path pathFromEnvironment(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  private int refuse(String message) {
    spec.commandLine().getErr().println("tessera import-codes: " + message);
    return 2;
  }
}

package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCodesCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> environment, String... args) {
    ImportCodesCommand command = new ImportCodesCommand();
    command.environment = environment;
    CommandLine cli = new CommandLine(command);
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** A spark-submit that writes its arguments, one a line, and exits with 3. */
  private Path fakeSparkHome() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("spark/bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(
        submit,
        "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > "
            + dir.resolve("args.txt")
            + "\nexit 3\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir.resolve("spark");
  }

  @Test
  void handsTheArgumentsToTheJobJarsImporterAndReturnsItsExitCode() throws Exception {
    Path home = fakeSparkHome();
    Path jar = Files.writeString(dir.resolve("tessera-spark-job.jar"), "jar");
    Path library = dir.resolve("lib.tessera");

    int code =
        run(
            Map.of("SPARK_HOME", home.toString(), "TESSERA_SPARK_JOB", jar.toString()),
            "out1",
            "hdfs://nn/out2",
            "--library",
            library.toString(),
            "--root-map",
            "hdfs://nn/photos=/mnt/photos",
            "--batch",
            "64");

    assertThat(code).isEqualTo(3);
    assertThat(Files.readAllLines(dir.resolve("args.txt")))
        .containsExactly(
            "--class",
            ImportCodesCommand.IMPORT_CLASS,
            jar.toString(),
            "out1",
            "hdfs://nn/out2",
            "--library",
            library.toAbsolutePath().toString(),
            "--root-map",
            "hdfs://nn/photos=/mnt/photos",
            "--batch",
            "64");
    assertThat(library).doesNotExist(); // the command itself never opens the library
  }

  @Test
  void withoutSparkItSaysWhatToInstallInOneLine() {
    int code = run(Map.of("PATH", dir.toString()), "out", "--library", "x.tessera");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("tessera import-codes: no spark-submit found")
        .contains("SPARK_HOME");
  }

  @Test
  void withoutTheJobJarItSaysHowToBuildIt() throws Exception {
    Path home = fakeSparkHome();

    int code = run(Map.of("SPARK_HOME", home.toString()), "out");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no job jar").contains("-Pjob");
    assertThat(dir.resolve("args.txt")).doesNotExist();
  }

  @Test
  void aBatchBelowOneIsRefusedBeforeAnythingRuns() throws Exception {
    Path home = fakeSparkHome();
    Path jar = Files.writeString(dir.resolve("job.jar"), "jar");

    int code =
        run(
            Map.of("SPARK_HOME", home.toString()),
            "out",
            "--job-jar",
            jar.toString(),
            "--batch",
            "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--batch must be 1 or more (got 0)");
    assertThat(dir.resolve("args.txt")).doesNotExist();
  }
}

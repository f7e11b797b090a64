package app.tessera.spark;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What the job's tests share, made once per test JVM: a local[2] Spark session (~10 s to start),
 * the shipped default bundle, the generated archive ({@link TestArchive}), the job's output on it
 * (features and folder labels on) and the library {@code tessera index --labels-from-folders} +
 * coding make of the same folder.
 */
final class JobFixture {
  private static Path dir;
  private static SparkSession spark;
  private static Path bundleDir;
  private static Path archive;
  private static Path output;
  private static Path local;

  private JobFixture() {}

  static synchronized Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("tessera-spark-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path created = dir;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(created)));
    }
    return dir;
  }

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("tessera-test")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "4")
              .getOrCreate();
    }
    return spark;
  }

  static synchronized Path bundleDir() throws IOException {
    if (bundleDir == null) {
      bundleDir =
          ModelBundle.unpack(
              JobFixture.class, "/app/tessera/models/default", dir().resolve("bundle"));
    }
    return bundleDir;
  }

  static synchronized Path archive() throws IOException {
    if (archive == null) {
      archive = TestArchive.write(Files.createDirectories(dir().resolve("archive")));
    }
    return archive;
  }

  /** The job's output on the archive: features written, folders as labels, 3 partitions. */
  static synchronized Path output() throws IOException {
    if (output == null) {
      Path out = dir().resolve("codes");
      CodeArchive.run(
          spark(),
          new JobOptions(
              List.of(archive().toString()),
              List.of(),
              List.of(bundleDir().toString()),
              out.toString(),
              true,
              true,
              3,
              8,
              Device.CPU,
              false));
      output = out;
    }
    return output;
  }

  /** The archive indexed (folders as labels) and coded with the bundle, as the CLI does it. */
  static synchronized Path localLibrary() throws IOException {
    if (local == null) {
      Path file = dir().resolve("local.sqlite");
      try (Library library = Library.open(file);
          ModelBundle bundle = ModelBundle.open(bundleDir(), Device.CPU)) {
        library.index(
            List.of(archive()), new IndexSettings(2, true), IndexListener.NONE, new Cancellation());
        library.code(bundle, new Cancellation(), line -> {});
      }
      local = file;
    }
    return local;
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is harmless
    }
  }
}

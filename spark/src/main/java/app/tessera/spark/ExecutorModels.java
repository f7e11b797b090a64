package app.tessera.spark;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.api.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The model bundles of one executor JVM, opened once on first use and shared by every task that JVM
 * runs (networks are large; tasks are many). Each network runs one call at a time (callers lock it,
 * see {@link PartitionCoder}): concurrent tasks decode in parallel and take turns on each network,
 * so one task's captions can be encoded while another's images are. Each encoder call closes its
 * own native memory before it returns.
 */
final class ExecutorModels {
  private static final Map<List<String>, ExecutorModels> OPEN = new HashMap<>();

  private final List<ModelBundle> bundles;

  private ExecutorModels(List<ModelBundle> bundles) {
    this.bundles = bundles;
  }

  /** The bundles at {@code paths}, opened on {@code device} by the first task of this JVM. */
  static synchronized ExecutorModels get(List<String> paths, Device device, HadoopFiles files) {
    prepareJvm();
    ExecutorModels open = OPEN.get(paths);
    if (open == null) {
      List<ModelBundle> bundles = new ArrayList<>();
      try {
        for (String path : paths) {
          bundles.add(ModelBundle.open(localBundle(new Path(path), files), device));
        }
      } catch (IOException e) {
        bundles.forEach(ModelBundle::close);
        throw new UncheckedIOException("cannot open the model bundle: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        bundles.forEach(ModelBundle::close);
        throw e;
      }
      open = new ExecutorModels(List.copyOf(bundles));
      OPEN.put(List.copyOf(paths), open);
    }
    return open;
  }

  /**
   * What the engine expects of its JVM, unless the job's configuration says otherwise: never reach
   * the network for a model (DJL's offline mode; libtorch comes from the job jar), and a data
   * directory the executor may write (MiniLM's files and OpenCV's native library are unpacked there
   * once per machine).
   */
  static void prepareJvm() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
      System.setProperty("ai.djl.onnx.disable_alternative", "true");
    }
    if (System.getProperty(AppDirs.HOME_PROPERTY) == null) {
      System.setProperty(
          AppDirs.HOME_PROPERTY,
          java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "tessera-spark").toString());
    }
  }

  /**
   * A bundle on a local disk: itself, or a copy of a remote one (HDFS, S3) in a temporary folder of
   * this JVM (a few MB, made once per executor).
   */
  private static java.nio.file.Path localBundle(Path bundle, HadoopFiles files) throws IOException {
    java.nio.file.Path local = HadoopFiles.local(bundle);
    if (local != null) {
      return local;
    }
    java.nio.file.Path copy = Files.createTempDirectory("tessera-bundle-");
    copyTree(files.fs(bundle), bundle, copy, files);
    return copy;
  }

  private static void copyTree(FileSystem fs, Path from, java.nio.file.Path to, HadoopFiles files)
      throws IOException {
    for (FileStatus status : fs.listStatus(from)) {
      java.nio.file.Path target = to.resolve(status.getPath().getName());
      if (status.isDirectory()) {
        Files.createDirectories(target);
        copyTree(fs, status.getPath(), target, files);
      } else {
        try (var in = files.open(status.getPath())) {
          Files.copy(in, target);
        }
      }
    }
  }

  List<ModelBundle> bundles() {
    return bundles;
  }
}

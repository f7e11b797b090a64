package app.tessera.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files on any Hadoop file system, read-only. Local files ({@code file:}) are stat'ed and read
 * through {@code java.nio} so that their modification time has the nanoseconds {@code tessera
 * index} records; every other scheme gives milliseconds.
 */
final class HadoopFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The driver's Hadoop settings (e.g. {@code fs.s3a.*} from {@code spark.hadoop.*}). */
  private final HashMap<String, String> settings;

  private transient Configuration conf;

  HadoopFiles(Configuration driverConf) {
    this.settings = new HashMap<>();
    for (Map.Entry<String, String> entry : driverConf) {
      settings.put(entry.getKey(), entry.getValue());
    }
    this.conf = driverConf;
  }

  Configuration conf() {
    if (conf == null) {
      Configuration c = new Configuration(false);
      settings.forEach(c::set);
      conf = c;
    }
    return conf;
  }

  FileSystem fs(Path path) throws IOException {
    return path.getFileSystem(conf());
  }

  /** The local file of {@code path}, or null when it is on another file system. */
  static java.nio.file.Path local(Path path) {
    URI uri = path.toUri();
    String scheme = uri.getScheme();
    if (scheme == null || scheme.toLowerCase(Locale.ROOT).equals("file")) {
      return java.nio.file.Path.of(uri.getPath());
    }
    return null;
  }

  /** Size and modification time (ns) of a file. */
  record Stat(long size, long mtimeNs) {}

  Stat stat(Path path) throws IOException {
    java.nio.file.Path local = local(path);
    if (local != null) {
      return new Stat(Files.size(local), Files.getLastModifiedTime(local).to(TimeUnit.NANOSECONDS));
    }
    FileStatus status = fs(path).getFileStatus(path);
    return new Stat(status.getLen(), TimeUnit.MILLISECONDS.toNanos(status.getModificationTime()));
  }

  /** The modification time of a listed file, in ns (exact for local files). */
  static long mtimeNs(FileStatus status) throws IOException {
    java.nio.file.Path local = local(status.getPath());
    return local != null
        ? Files.getLastModifiedTime(local).to(TimeUnit.NANOSECONDS)
        : TimeUnit.MILLISECONDS.toNanos(status.getModificationTime());
  }

  InputStream open(Path path) throws IOException {
    java.nio.file.Path local = local(path);
    return local != null ? Files.newInputStream(local) : fs(path).open(path);
  }

  byte[] readAll(Path path) throws IOException {
    try (InputStream in = open(path)) {
      return in.readAllBytes();
    }
  }

  /**
   * The file as a local file: itself when local, else a copy in a temporary file with the same
   * extension (the decoder reads the format from it), deleted by the caller.
   */
  java.nio.file.Path localCopy(Path path) throws IOException {
    java.nio.file.Path local = local(path);
    if (local != null) {
      return local;
    }
    String name = path.getName();
    int dot = name.lastIndexOf('.');
    java.nio.file.Path copy =
        Files.createTempFile("tessera-spark-", dot < 0 ? "" : name.substring(dot));
    try (InputStream in = open(path)) {
      Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    return copy;
  }
}

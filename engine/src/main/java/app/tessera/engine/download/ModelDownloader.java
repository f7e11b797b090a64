package app.tessera.engine.download;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Hashes;
import app.tessera.engine.TesseraException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Downloads {@link ModelPack}s into the models directory, only when the user asks ({@code tessera
 * models download}); nothing else in Tessera touches the network.
 *
 * <p>Each file streams into {@code <name>.part}, hashed as it arrives; only a file whose SHA-256
 * equals the pinned value is moved into place. A wrong checksum deletes the partial file and fails
 * with {@link ChecksumMismatchException}. A network transfer that stops early keeps the partial
 * file (an {@link IncompleteDownloadException}, or the network's own error), and the next run
 * continues it with an HTTP range request (a copy from a folder that was interrupted continues
 * too). {@link #verify} repeats the check before any load.
 */
public final class ModelDownloader {
  private ModelDownloader() {}

  /** The folder of {@code pack} under {@code modelsDir}. */
  public static Path packDir(Path modelsDir, ModelPack pack) {
    return modelsDir.resolve(pack.name());
  }

  /**
   * Fetches every file of {@code pack} that is not already present and verified.
   *
   * @param progress receives one human-readable line per event
   * @return the pack's folder
   */
  public static Path download(ModelPack pack, Path modelsDir, Consumer<String> progress)
      throws IOException {
    return install(pack, modelsDir, null, progress, Bytes.NONE, new Cancellation());
  }

  /** The bytes of one file that arrived so far, for a progress bar. */
  @FunctionalInterface
  public interface Bytes {
    /**
     * @param total the file's size, or -1 when unknown
     */
    void arrived(String file, long done, long total);

    Bytes NONE = (file, done, total) -> {};
  }

  /**
   * Like {@link #download(ModelPack, Path, Consumer)}, reporting the bytes as they arrive; stops
   * when {@code cancel} is cancelled with a {@link CancellationException}, keeping what arrived for
   * the next run to resume.
   */
  public static Path download(
      ModelPack pack, Path modelsDir, Consumer<String> progress, Bytes bytes, Cancellation cancel)
      throws IOException {
    return install(pack, modelsDir, null, progress, bytes, cancel);
  }

  /**
   * Like {@link #download}, but takes each file from the folder {@code source} (a copy brought from
   * another machine, for workstations that never go online), with the same checks.
   */
  public static Path installFrom(
      ModelPack pack, Path modelsDir, Path source, Consumer<String> progress) throws IOException {
    if (!Files.isDirectory(source)) {
      throw new IOException("Not a folder: " + source);
    }
    for (ModelPack.File file : pack.files()) {
      if (!Files.isRegularFile(source.resolve(file.name()))) {
        throw new TesseraException(
            TesseraException.Kind.NOT_FOUND,
            source.resolve(file.name()),
            source + " has no " + file.name() + " (" + pack.name() + " needs it); nothing done.");
      }
    }
    return install(pack, modelsDir, source, progress, Bytes.NONE, new Cancellation());
  }

  private static Path install(
      ModelPack pack,
      Path modelsDir,
      Path source,
      Consumer<String> progress,
      Bytes bytes,
      Cancellation cancel)
      throws IOException {
    Path dir = packDir(modelsDir, pack);
    for (ModelPack.File file : pack.files()) {
      requirePinned(pack, file);
    }
    Files.createDirectories(dir);
    for (ModelPack.File file : pack.files()) {
      Path target = dir.resolve(file.name());
      if (Files.isRegularFile(target) && Hashes.sha256(target).equals(file.sha256())) {
        progress.accept(file.name() + ": already present and verified");
        continue;
      }
      String from = source == null ? file.url() : source.resolve(file.name()).toUri().toString();
      progress.accept((source == null ? "Downloading " : "Copying ") + from);
      Path part = dir.resolve(file.name() + ".part");
      try {
        Fetched fetched =
            fetch(
                from,
                part,
                file.bytes(),
                progress,
                (done, total) -> bytes.arrived(file.name(), done, total),
                cancel);
        boolean network = source == null && from.startsWith("http");
        if (network && fetched.expected() > 0 && fetched.bytes() < fetched.expected()) {
          throw new IncompleteDownloadException(
              file.name()
                  + ": the transfer stopped after "
                  + mb(fetched.bytes())
                  + " of "
                  + mb(fetched.expected())
                  + "; what arrived is kept in "
                  + part
                  + " and the same command resumes from there.");
        }
        if (!fetched.sha256().equals(file.sha256())) {
          throw new ChecksumMismatchException(
              "Refusing "
                  + file.name()
                  + " of "
                  + pack.name()
                  + ": its SHA-256 is "
                  + fetched.sha256()
                  + " but "
                  + file.sha256()
                  + " is pinned. The file at "
                  + from
                  + " is damaged or not this model's; nothing was installed.");
        }
        Files.move(
            part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        progress.accept(
            file.name() + ": verified (SHA-256 " + fetched.sha256().substring(0, 12) + "…)");
      } catch (ChecksumMismatchException wrong) {
        Files.deleteIfExists(part); // these bytes can never match: the next try starts afresh
        throw wrong;
      }
    }
    return dir;
  }

  /**
   * How many files of {@code pack} are in place under {@code modelsDir} with their pinned size: a
   * cheap look for listings ({@link #verify} hashes them before any load).
   */
  public static int filesInPlace(ModelPack pack, Path modelsDir) {
    Path dir = packDir(modelsDir, pack);
    int present = 0;
    for (ModelPack.File file : pack.files()) {
      Path path = dir.resolve(file.name());
      try {
        if (Files.isRegularFile(path) && (file.bytes() <= 0 || Files.size(path) == file.bytes())) {
          present++;
        }
      } catch (IOException unreadable) {
        // not in place
      }
    }
    return present;
  }

  /**
   * Checks that every file of {@code pack} is in {@code dir} and hashes to its pinned SHA-256.
   *
   * @throws ChecksumMismatchException when a file's bytes differ from the pin
   * @throws TesseraException when a file is missing (with the command that fetches it)
   */
  public static void verify(ModelPack pack, Path dir) throws IOException {
    for (ModelPack.File file : pack.files()) {
      requirePinned(pack, file);
      Path path = dir.resolve(file.name());
      if (!Files.isRegularFile(path)) {
        throw new TesseraException(
            TesseraException.Kind.NOT_FOUND,
            path,
            "Model "
                + pack.name()
                + " is not installed ("
                + path
                + " is missing). Run: tessera models download "
                + pack.name());
      }
      String actual = Hashes.sha256(path);
      if (!actual.equals(file.sha256())) {
        throw new ChecksumMismatchException(
            "Refusing to load "
                + path
                + ": its SHA-256 is "
                + actual
                + " but "
                + file.sha256()
                + " is pinned (damaged or replaced file). Delete it and run: tessera models"
                + " download "
                + pack.name());
      }
    }
  }

  private static void requirePinned(ModelPack pack, ModelPack.File file) throws IOException {
    if (!file.pinned()) {
      throw new ChecksumMismatchException(
          "Refusing "
              + file.name()
              + " of "
              + pack.name()
              + ": this build of Tessera has no verified SHA-256 for it, and unverified model"
              + " files are never downloaded or loaded.");
    }
  }

  /** What one transfer left in the partial file: its digest, its size, the size announced. */
  private record Fetched(String sha256, long bytes, long expected) {}

  /**
   * Streams {@code url} into {@code part}, hashing as it goes. A partial file left by an earlier,
   * interrupted run is continued: over HTTP with a {@code Range} request (a server that ignores it
   * sends the whole file again, and the partial file starts over), from a local file by skipping
   * what is already there. The bytes already present are hashed first, so the digest covers the
   * whole file either way.
   */
  private static Fetched fetch(
      String url,
      Path part,
      long pinnedBytes,
      Consumer<String> progress,
      BiConsumer<Long, Long> bytes,
      Cancellation cancel)
      throws IOException {
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    if (pinnedBytes > 0 && have > pinnedBytes) {
      have = 0; // not a beginning of this file
    }
    if (pinnedBytes > 0 && have == pinnedBytes) {
      return complete(part); // an earlier run got every byte but stopped before the check
    }
    URLConnection connection = URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(30_000);
    connection.setReadTimeout(60_000);
    HttpURLConnection http = connection instanceof HttpURLConnection h ? h : null;
    if (have > 0 && http != null) {
      http.setRequestProperty("Range", "bytes=" + have + "-");
    }
    if (have > 0 && http != null && http.getResponseCode() == RANGE_NOT_SATISFIABLE) {
      return complete(part); // nothing left after what is already here
    }
    try (InputStream in = connection.getInputStream()) {
      boolean resumed = have > 0 && resumes(http, in, have);
      long start = resumed ? have : 0;
      long announced = connection.getContentLengthLong();
      long expected = pinnedBytes > 0 ? pinnedBytes : announced >= 0 ? start + announced : -1;
      MessageDigest digest = Hashes.sha256();
      if (resumed) {
        hashInto(digest, part);
        progress.accept(
            "  resuming after " + mb(start) + (expected > 0 ? " of " + mb(expected) : ""));
      }
      long copied = start;
      long nextReport = (copied / REPORT_EVERY + 1) * REPORT_EVERY;
      try (OutputStream out =
          new DigestOutputStream(
              resumed
                  ? Files.newOutputStream(part, StandardOpenOption.APPEND)
                  : Files.newOutputStream(part),
              digest)) {
        byte[] buffer = new byte[1 << 16];
        long nextTick = copied;
        for (int n; (n = in.read(buffer)) > 0; ) {
          if (cancel.isCancelled()) {
            throw new CancellationException(
                "download cancelled after " + mb(copied) + "; the next download resumes there");
          }
          out.write(buffer, 0, n);
          copied += n;
          if (copied >= nextTick) {
            bytes.accept(copied, expected);
            nextTick = copied + TICK;
          }
          if (pinnedBytes > 0 && copied > pinnedBytes) {
            // Cannot match the pin any more: stop before a wrong or endless file fills the disk.
            throw new ChecksumMismatchException(
                "Refusing "
                    + url
                    + ": it is larger than the pinned "
                    + pinnedBytes
                    + " bytes; nothing was installed.");
          }
          if (copied >= nextReport) {
            progress.accept("  " + mb(copied) + (expected > 0 ? " of " + mb(expected) : ""));
            nextReport += REPORT_EVERY;
          }
        }
      }
      bytes.accept(copied, expected);
      return new Fetched(HexFormat.of().formatHex(digest.digest()), copied, expected);
    }
  }

  private static final long REPORT_EVERY = 50L << 20;
  private static final long TICK = 1L << 20; // bytes between progress-bar updates
  private static final int RANGE_NOT_SATISFIABLE = 416;

  private static Fetched complete(Path part) throws IOException {
    long size = Files.size(part);
    return new Fetched(Hashes.sha256(part), size, size);
  }

  /**
   * Whether the stream continues after the first {@code have} bytes: an HTTP server answered the
   * range with 206, or a local source was skipped forward to that point.
   */
  private static boolean resumes(HttpURLConnection http, InputStream in, long have)
      throws IOException {
    if (http != null) {
      return http.getResponseCode() == HttpURLConnection.HTTP_PARTIAL
          && String.valueOf(http.getHeaderField("Content-Range")).startsWith("bytes " + have + "-");
    }
    try {
      in.skipNBytes(have);
      return true;
    } catch (EOFException shorter) {
      throw new ChecksumMismatchException(
          "Refusing the source: it is shorter than the part already downloaded.");
    }
  }

  private static void hashInto(MessageDigest digest, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
  }

  private static String mb(long bytes) {
    return (bytes >> 20) + " MB";
  }
}

package app.tessera.engine.encode;

import app.tessera.engine.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Downloads {@link ModelPack}s into the models directory, only when the user asks ({@code tessera
 * models download}); nothing else in Tessera touches the network.
 *
 * <p>Each file streams into {@code <name>.part}, hashed as it arrives; only a file whose SHA-256
 * equals the pinned value is moved into place. A wrong checksum deletes the partial file and fails
 * with {@link ChecksumMismatchException}. {@link #verify} repeats the check before any load.
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
    return install(pack, modelsDir, null, progress);
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
        throw new IOException(
            source + " has no " + file.name() + " (" + pack.name() + " needs it); nothing done.");
      }
    }
    return install(pack, modelsDir, source, progress);
  }

  private static Path install(
      ModelPack pack, Path modelsDir, Path source, Consumer<String> progress) throws IOException {
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
        String actual = fetch(from, part, file.bytes(), progress);
        if (!actual.equals(file.sha256())) {
          throw new ChecksumMismatchException(
              "Refusing "
                  + file.name()
                  + " of "
                  + pack.name()
                  + ": its SHA-256 is "
                  + actual
                  + " but "
                  + file.sha256()
                  + " is pinned. The file at "
                  + from
                  + " is damaged or not this model's; nothing was installed.");
        }
        Files.move(
            part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        progress.accept(file.name() + ": verified (SHA-256 " + actual.substring(0, 12) + "…)");
      } finally {
        Files.deleteIfExists(part);
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
   * @throws IOException when a file is missing (with the command that fetches it)
   */
  public static void verify(ModelPack pack, Path dir) throws IOException {
    for (ModelPack.File file : pack.files()) {
      requirePinned(pack, file);
      Path path = dir.resolve(file.name());
      if (!Files.isRegularFile(path)) {
        throw new IOException(
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

  private static String fetch(String url, Path part, long expectedBytes, Consumer<String> progress)
      throws IOException {
    URLConnection connection = URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(30_000);
    connection.setReadTimeout(60_000);
    MessageDigest digest = Hashes.sha256();
    long total = expectedBytes > 0 ? expectedBytes : connection.getContentLengthLong();
    long copied = 0;
    long nextReport = 50L << 20;
    try (InputStream in = connection.getInputStream();
        OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        copied += n;
        if (expectedBytes > 0 && copied > expectedBytes) {
          // Cannot match the pin any more: stop before a wrong or endless file fills the disk.
          throw new ChecksumMismatchException(
              "Refusing "
                  + url
                  + ": it is larger than the pinned "
                  + expectedBytes
                  + " bytes; nothing was installed.");
        }
        if (copied >= nextReport) {
          progress.accept(
              String.format(
                  "  %d MB%s", copied >> 20, total > 0 ? " of " + (total >> 20) + " MB" : ""));
          nextReport += 50L << 20;
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}

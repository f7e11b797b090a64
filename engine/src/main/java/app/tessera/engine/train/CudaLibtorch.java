package app.tessera.engine.train;

import app.tessera.engine.download.ModelDownloader;
import app.tessera.engine.download.ModelPack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The optional CUDA build of libtorch (Maven Central has only the CPU one): downloaded once, on the
 * user's explicit command ({@code tessera gpu install}), into Tessera's data directory, pinned by
 * SHA-256 like every download ({@link ModelDownloader}), then its {@code lib/} unpacked. {@link
 * TorchNatives} loads it when the machine can use it. Pins and sources: {@code
 * docs/decisions/0007-installer-and-gpu.md}.
 */
public final class CudaLibtorch {
  private CudaLibtorch() {}

  /** The PyTorch release and CUDA flavour DJL 0.36's JNI library is built against. */
  public static final String VERSION = "2.7.1";

  public static final String FLAVOR = "cu128";

  static final String ARCHIVE = "libtorch-cxx11-abi-shared-with-deps-2.7.1+cu128.zip";

  /**
   * PyTorch's own archive. PyTorch publishes no checksums; the SHA-256 is the one three unrelated
   * projects pin for this file (see the decision record). Its size was found in no source, so it is
   * not pinned (0): the SHA-256 alone decides.
   */
  public static final ModelPack PACK =
      new ModelPack(
          "libtorch-" + FLAVOR,
          "PyTorch " + VERSION + " for CUDA 12.8 (libtorch, Linux x86-64; about 3 GB to download)",
          "BSD-3-Clause (PyTorch), with NVIDIA's CUDA libraries under NVIDIA's licence terms",
          List.of(
              new ModelPack.File(
                  ARCHIVE,
                  "https://download.pytorch.org/libtorch/cu128/"
                      + "libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip",
                  "ae513b437ae99150744ef1d06b02a4ecbbb9275c9ffe540c88909623e3293041",
                  0)));

  /** Shared libraries of the archive's {@code libtorch/lib/} (its headers, CMake files go). */
  private static final Pattern LIBRARY = Pattern.compile("libtorch/lib/([^/]+\\.so(\\.[0-9.]+)?)");

  /** Test and example backends in {@code lib/}: DJL loads every library there, so they stay out. */
  private static final Pattern NOT_NEEDED = Pattern.compile(".*(_test|backend_with_compiler).*");

  /** Tessera's GPU folder: downloads and the unpacked runtime. */
  public static Path home(Path dataDir) {
    return dataDir.resolve("gpu");
  }

  /** The unpacked libraries DJL is pointed at. */
  public static Path libDir(Path dataDir) {
    return home(dataDir).resolve("libtorch-" + VERSION + "-" + FLAVOR).resolve("lib");
  }

  /** Whether the CUDA runtime was installed completely (the marker is written last). */
  public static boolean installed(Path dataDir) {
    Path lib = libDir(dataDir);
    return Files.isRegularFile(lib.resolveSibling(MARKER))
        && Files.isRegularFile(lib.resolve(System.mapLibraryName("torch")));
  }

  private static final String MARKER = "installed";

  /** Whether this build of libtorch can run here at all (its only build is Linux x86-64). */
  public static boolean platformSupported() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /**
   * Downloads the archive (or copies it from the folder {@code from}), checks it against the pin,
   * unpacks its libraries and removes the archive. A download that stops keeps what arrived and the
   * next call resumes it.
   *
   * @return the folder of the unpacked libraries
   */
  public static Path install(Path dataDir, Path from, Consumer<String> progress)
      throws IOException {
    return install(PACK, dataDir, from, progress);
  }

  /** {@link #install(Path, Path, Consumer)} of another archive (tests use a small one). */
  static Path install(ModelPack pack, Path dataDir, Path from, Consumer<String> progress)
      throws IOException {
    Path downloads = home(dataDir).resolve("downloads");
    Path dir =
        from == null
            ? ModelDownloader.download(pack, downloads, progress)
            : ModelDownloader.installFrom(pack, downloads, from, progress);
    Path archive = dir.resolve(pack.files().getFirst().name());
    Path lib = libDir(dataDir);
    Path staging = lib.getParent().resolveSibling(lib.getParent().getFileName() + ".unpacking");
    deleteTree(staging);
    progress.accept("Unpacking the libraries…");
    int count = unpack(archive, staging.resolve("lib"));
    if (count == 0 || !Files.isRegularFile(staging.resolve("lib/libtorch.so"))) {
      throw new IOException(archive + " holds no libtorch/lib/libtorch.so; nothing was installed.");
    }
    linkCudaRuntime(staging.resolve("lib"));
    Files.writeString(
        staging.resolve(MARKER),
        "archive=" + archive.getFileName() + "\nsha256=" + pack.files().getFirst().sha256() + "\n");
    deleteTree(lib.getParent());
    Files.move(staging, lib.getParent(), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(archive);
    progress.accept(count + " libraries in " + lib);
    return lib;
  }

  /** Deletes the CUDA runtime and any partial download. */
  public static void remove(Path dataDir) throws IOException {
    deleteTree(home(dataDir));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Copies the archive's shared libraries into {@code lib}; returns how many. */
  static int unpack(Path archive, Path lib) throws IOException {
    Files.createDirectories(lib);
    int count = 0;
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        var name = LIBRARY.matcher(entry.getName());
        if (entry.isDirectory() || !name.matches() || NOT_NEEDED.matcher(name.group(1)).matches()) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, lib.resolve(name.group(1)), StandardCopyOption.REPLACE_EXISTING);
        }
        count++;
      }
    }
    return count;
  }

  /**
   * The archive's CUDA runtime carries a hashed name ({@code libcudart-<hash>.so.12}); DJL counts
   * GPUs through a library named {@code libcudart.so}, so one is linked beside it.
   */
  static void linkCudaRuntime(Path lib) throws IOException {
    try (Stream<Path> files = Files.list(lib)) {
      List<Path> runtimes =
          files.filter(p -> p.getFileName().toString().startsWith("libcudart")).sorted().toList();
      Path link = lib.resolve("libcudart.so");
      if (!runtimes.isEmpty() && !Files.exists(link)) {
        Files.createSymbolicLink(link, runtimes.getFirst().getFileName());
      }
    }
  }
}

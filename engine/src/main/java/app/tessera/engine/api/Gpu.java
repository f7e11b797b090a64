package app.tessera.engine.api;

import app.tessera.engine.AppDirs;
import app.tessera.engine.download.ModelPack;
import app.tessera.engine.train.CudaLibtorch;
import app.tessera.engine.train.DjlRuntime;
import app.tessera.engine.train.TorchNatives;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where networks run (the GPU or the CPU, and why) and the optional CUDA runtime in Tessera's data
 * folder: what {@code tessera gpu} and the window's status bar show (docs/decisions/0007).
 */
public final class Gpu {
  private Gpu() {}

  /**
   * Where training and encoding run.
   *
   * @param device {@code GPU · <name>}, {@code GPU} or {@code CPU}
   * @param reason why, in one line
   * @param libtorch the libtorch in use
   * @param cudaRuntime the installed CUDA runtime's folder, or null when none is installed
   */
  public record Status(String device, String reason, String libtorch, Path cudaRuntime) {}

  /**
   * What {@link #install} fetches.
   *
   * @param source the URL, or the file in the folder given
   * @param into where it is unpacked
   */
  public record Runtime(String description, String licence, String source, Path into) {}

  /** Where networks run now; starts the engine, so the answer is what runs. */
  public static Status status() {
    String device = DjlRuntime.deviceSummary();
    Path dataDir = AppDirs.dataDir();
    return new Status(
        device,
        DjlRuntime.deviceReason(),
        TorchNatives.choice().libtorch(),
        CudaLibtorch.installed(dataDir) ? CudaLibtorch.libDir(dataDir) : null);
  }

  /** Whether a CUDA runtime exists for this platform (Linux x86-64). */
  public static boolean supported() {
    return CudaLibtorch.platformSupported();
  }

  /** What {@link #install} would fetch: from the network, or from {@code from} when given. */
  public static Runtime runtime(Path from) {
    ModelPack.File file = CudaLibtorch.PACK.files().getFirst();
    return new Runtime(
        CudaLibtorch.PACK.description(),
        CudaLibtorch.PACK.licence(),
        from == null ? file.url() : from.resolve(file.name()).toString(),
        CudaLibtorch.home(AppDirs.dataDir()));
  }

  /**
   * Downloads (or takes from {@code from}) the CUDA runtime, checks it against its pinned SHA-256
   * and unpacks it; an interrupted download resumes. Used from the next start. Returns its folder.
   */
  public static Path install(Path from, Consumer<String> progress) throws IOException {
    return CudaLibtorch.install(AppDirs.dataDir(), from, progress);
  }

  /** Deletes the CUDA runtime (and any partial download); returns the folder it was in. */
  public static Path remove() throws IOException {
    CudaLibtorch.remove(AppDirs.dataDir());
    return CudaLibtorch.home(AppDirs.dataDir());
  }
}

package app.tessera.engine.train;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import app.tessera.engine.AppDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which libtorch the PyTorch engine loads in this process, chosen once before it starts ({@link
 * DjlRuntime#pytorch()}), and why.
 *
 * <ol>
 *   <li>A libtorch the user points to with the environment variable {@code PYTORCH_LIBRARY_PATH}
 *       (DJL itself honours it).
 *   <li>The CUDA runtime installed by {@code tessera gpu install} ({@link CudaLibtorch}), when the
 *       NVIDIA driver answers, sees a GPU, supports CUDA 12, and the libraries load. Those checks
 *       come first because a libtorch that fails half-way cannot be swapped for another in the same
 *       process: a driver that is missing or a library that does not load (a failed {@code dlopen}
 *       leaves nothing behind) means the CPU build, with a one-line reason.
 *   <li>The CPU build: the one the installed app ships unpacked, or the one in the {@code
 *       pytorch-native-cpu} jar.
 * </ol>
 */
public final class TorchNatives {
  private static final Logger LOG = LoggerFactory.getLogger(TorchNatives.class);

  private TorchNatives() {}

  /**
   * The choice.
   *
   * @param cuda whether the CUDA build of libtorch is used
   * @param gpu the GPU as the driver names it (null on the CPU)
   * @param libtorch where libtorch is loaded from, in words
   * @param reason why, in one line
   * @param fallback whether a GPU was expected (a CUDA runtime is installed) but cannot be used
   */
  public record Choice(boolean cuda, String gpu, String libtorch, String reason, boolean fallback) {
    /** A few words for a status bar: {@code GPU · <name>} or {@code CPU}. */
    public String summary() {
      return cuda ? "GPU · " + gpu : "CPU";
    }
  }

  /** What the NVIDIA driver reports: the GPU's name, or why none can be used. */
  record Driver(String gpu, String problem) {
    static Driver problem(String why) {
      return new Driver(null, why);
    }
  }

  private static Choice choice;

  /** The choice for this process, made on first call (before the engine starts). */
  public static synchronized Choice choice() {
    if (choice == null) {
      choice = choose(System.getenv(), AppDirs.dataDir(), TorchNatives::probeDriver);
      if (choice.fallback()) {
        LOG.warn("GPU not used, running on the CPU: {}", choice.reason());
      }
    }
    return choice;
  }

  /**
   * Chooses the libtorch, and points DJL at the CUDA build when that is the choice.
   *
   * @param driver asks the NVIDIA driver (called only when a CUDA runtime is installed)
   */
  static Choice choose(Map<String, String> env, Path dataDir, Supplier<Driver> driver) {
    String own = env.get(PYTORCH_LIBRARY_PATH);
    if (own != null && !own.isBlank()) {
      boolean cuda = Files.isRegularFile(Path.of(own, System.mapLibraryName("torch_cuda")));
      return new Choice(
          cuda,
          cuda ? "CUDA (as PyTorch reports)" : null,
          own,
          PYTORCH_LIBRARY_PATH + " is set: the libtorch there is used as it is",
          false);
    }
    String cpu =
        System.getProperty(PYTORCH_LIBRARY_PATH) != null
            ? System.getProperty(PYTORCH_LIBRARY_PATH) + " (CPU build)"
            : "the CPU build in the pytorch-native-cpu jar";
    if (!CudaLibtorch.installed(dataDir)) {
      return new Choice(
          false, null, cpu, "no CUDA runtime is installed (tessera gpu install adds one)", false);
    }
    Path lib = CudaLibtorch.libDir(dataDir);
    Driver answer = driver.get();
    if (answer.problem() != null) {
      return new Choice(false, null, cpu, answer.problem(), true);
    }
    String loadProblem = load(lib.resolve(System.mapLibraryName("torch")));
    if (loadProblem != null) {
      return new Choice(
          false, null, cpu, "the CUDA runtime in " + lib + " did not load: " + loadProblem, true);
    }
    System.setProperty(PYTORCH_LIBRARY_PATH, lib.toString());
    System.setProperty("PYTORCH_VERSION", CudaLibtorch.VERSION);
    System.setProperty("PYTORCH_FLAVOR", CudaLibtorch.FLAVOR);
    // DJL counts GPUs through libcudart.so, which CudaLibtorch links in this folder.
    String jna = System.getProperty("jna.library.path");
    System.setProperty("jna.library.path", jna == null ? lib.toString() : lib + ":" + jna);
    return new Choice(
        true, answer.gpu(), lib + " (CUDA " + CudaLibtorch.FLAVOR + " build)", answer.gpu(), false);
  }

  static final String PYTORCH_LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";

  /**
   * Loads libtorch and, through its dependencies, the whole CUDA runtime; null when it loaded. A
   * failed load is undone by the dynamic linker, so the CPU build can still load after it.
   */
  static String load(Path libtorch) {
    try {
      System.load(libtorch.toString());
      return null;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      return message.lines().findFirst().orElse(message);
    }
  }

  private static final FunctionDescriptor INT_OF_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
  private static final FunctionDescriptor INT_OF_POINTER = FunctionDescriptor.of(JAVA_INT, ADDRESS);
  private static final FunctionDescriptor INT_OF_POINTER_INT =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
  private static final FunctionDescriptor INT_OF_POINTER_INT_INT =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);

  private static MethodHandle function(SymbolLookup library, String name, FunctionDescriptor type) {
    return Linker.nativeLinker().downcallHandle(library.find(name).orElseThrow(), type);
  }

  /** Asks the NVIDIA driver (libcuda, through the FFM API) whether a CUDA 12 GPU is there. */
  static Driver probeDriver() {
    if (!CudaLibtorch.platformSupported()) {
      return Driver.problem("the CUDA runtime is built for Linux x86-64 only");
    }
    SymbolLookup cuda;
    try {
      cuda = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
    } catch (IllegalArgumentException notFound) {
      return Driver.problem("no NVIDIA driver is installed (libcuda.so.1 not found)");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment value = arena.allocate(JAVA_INT);
      int status = (int) function(cuda, "cuInit", INT_OF_INT).invokeExact(0);
      if (status != 0) {
        return Driver.problem("the NVIDIA driver did not start (CUDA error " + status + ")");
      }
      status = (int) function(cuda, "cuDriverGetVersion", INT_OF_POINTER).invokeExact(value);
      int version = value.get(JAVA_INT, 0);
      String cudaVersion = version / 1000 + "." + version % 1000 / 10;
      if (status != 0 || version < 12_000) {
        return Driver.problem(
            "the NVIDIA driver supports CUDA "
                + cudaVersion
                + "; the CUDA runtime needs 12 or newer (update the driver)");
      }
      status = (int) function(cuda, "cuDeviceGetCount", INT_OF_POINTER).invokeExact(value);
      if (status != 0 || value.get(JAVA_INT, 0) == 0) {
        return Driver.problem("the NVIDIA driver sees no GPU");
      }
      String gpu = "GPU 0";
      status = (int) function(cuda, "cuDeviceGet", INT_OF_POINTER_INT).invokeExact(value, 0);
      MemorySegment name = arena.allocate(256);
      if (status == 0
          && (int)
                  function(cuda, "cuDeviceGetName", INT_OF_POINTER_INT_INT)
                      .invokeExact(name, 256, value.get(JAVA_INT, 0))
              == 0) {
        gpu = name.getString(0);
      }
      return new Driver(gpu + ", driver CUDA " + cudaVersion, null);
    } catch (Throwable e) {
      return Driver.problem("the NVIDIA driver could not be asked (" + e + ")");
    }
  }
}

package app.tessera.engine.train;

import ai.djl.engine.Engine;
import app.tessera.engine.Device;

/**
 * Device choice and thread sizing for the DJL engines, in one place.
 *
 * <p>PyTorch reads its thread counts once, when the engine starts: {@link #pytorch()} sets them
 * from the hardware unless the JVM was started with explicit values (tests and CI pin them to 1,
 * see {@code docs/stack.md}).
 *
 * <p>Why not always every core: libtorch's OpenMP threads spin while they wait, so when anything
 * else runs (the app's own decoders, another program) a one-image forward pass went from 4 ms to
 * 350 ms on a loaded 2-core machine. With {@code OMP_WAIT_POLICY=PASSIVE} (which {@code ./tessera}
 * sets, and {@link NativeEnvironment} sets from inside the process for other launchers) waiting
 * threads sleep and every core is safe to use; without it, half the cores are used.
 */
public final class DjlRuntime {
  private DjlRuntime() {}

  static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
  static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /**
   * The fewest rows an inference forward pass runs on. Below 4 rows libtorch's CPU kernels (matrix
   * products, convolutions) take other paths whose results differ in the last bits, so a row's
   * output would depend on how many rows it was batched with; padded to 4, every row comes out the
   * same alone (a query), in a library's batches or in the Spark job's, and so does its code
   * (measured with libtorch 2.7.1: docs/scale-out.md).
   */
  public static final int MIN_ROWS = 4;

  /**
   * {@code rows} rows of {@code rowLength} values, with zero rows added up to {@link #MIN_ROWS}.
   */
  public static float[] padRows(float[] rows, int n, int rowLength) {
    return n >= MIN_ROWS ? rows : java.util.Arrays.copyOf(rows, MIN_ROWS * rowLength);
  }

  /**
   * The PyTorch engine, started on first use with threads sized from the hardware and the libtorch
   * {@link TorchNatives} chose (the CUDA build when this machine can use it, else the CPU one).
   */
  public static synchronized Engine pytorch() {
    NativeEnvironment.prepare(); // before libtorch, and OpenMP with it, loads
    TorchNatives.choice();
    if (System.getProperty(NUM_THREADS) == null) {
      System.setProperty(NUM_THREADS, Integer.toString(engineThreads()));
    }
    if (System.getProperty(NUM_INTEROP_THREADS) == null) {
      System.setProperty(NUM_INTEROP_THREADS, "1");
    }
    return Engine.getEngine("PyTorch");
  }

  /** How many GPUs PyTorch can use here (0 with the CPU-only libtorch). */
  public static int gpuCount() {
    return pytorch().getGpuCount();
  }

  /**
   * Where training and encoding run, in a few words for a status bar ({@code GPU · <name>} or
   * {@code CPU}); starts the engine.
   */
  public static String deviceSummary() {
    int gpus = gpuCount();
    TorchNatives.Choice choice = TorchNatives.choice();
    if (gpus > 0) {
      return choice.cuda() ? choice.summary() : "GPU";
    }
    return "CPU";
  }

  /** Why networks run where {@link #deviceSummary()} says, in one line; starts the engine. */
  public static String deviceReason() {
    TorchNatives.Choice choice = TorchNatives.choice();
    if (choice.cuda() && gpuCount() == 0) {
      return "the CUDA build of libtorch loaded, but PyTorch sees no GPU (" + choice.reason() + ")";
    }
    return choice.reason();
  }

  /** The number of threads a native engine should use for one call. */
  public static int cores() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Intra-op threads for a native engine: every core when waiting threads sleep, else half. */
  static int engineThreads() {
    NativeEnvironment.prepare();
    return NativeEnvironment.waitPolicyPassive() ? cores() : Math.max(1, cores() / 2);
  }

  /** Threads for ONNX Runtime: the JVM's setting when pinned (tests), else as PyTorch. */
  public static int onnxThreads() {
    String pinned = System.getProperty(NUM_THREADS);
    if (pinned != null) {
      try {
        return Math.max(1, Integer.parseInt(pinned.trim()));
      } catch (NumberFormatException ignored) {
        // fall through to the hardware
      }
    }
    return engineThreads();
  }

  /**
   * The DJL device for {@code device} on the PyTorch engine: {@code AUTO} takes the first GPU when
   * one is usable, else the CPU; {@code GPU} without one fails with a clear message.
   */
  public static ai.djl.Device resolve(Device device) {
    int gpus = pytorch().getGpuCount();
    return switch (device) {
      case CPU -> ai.djl.Device.cpu();
      case AUTO -> gpus > 0 ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException(
              "--device gpu was asked for, but PyTorch sees no usable GPU ("
                  + TorchNatives.choice().reason()
                  + "); use --device auto or cpu, or see: tessera gpu status");
        }
        yield ai.djl.Device.gpu();
      }
    };
  }
}

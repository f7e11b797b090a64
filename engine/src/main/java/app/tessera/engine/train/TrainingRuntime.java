package app.tessera.engine.train;

import ai.djl.engine.Engine;
import app.tessera.engine.Device;

/**
 * What every training loop sets up first: the PyTorch engine with threads sized from the hardware
 * (pinned to 1 in tests by the JVM flags, see {@code docs/stack.md}), the device, and the seed of
 * the engine's own random numbers (weight initialisation, dropout). Delegates thread sizing and
 * device choice to {@link DjlRuntime}, so encoders and training agree.
 */
public final class TrainingRuntime {
  private TrainingRuntime() {}

  /**
   * Starts (or reuses) the PyTorch engine, seeds it, and returns the DJL device for {@code device}:
   * {@code AUTO} takes the GPU when one is usable, else the CPU.
   */
  public static ai.djl.Device start(Device device, long seed) {
    Engine engine = DjlRuntime.pytorch();
    engine.setRandomSeed(Long.hashCode(seed));
    return DjlRuntime.resolve(device);
  }

  /** The DJL device for {@code device} (engine started if needed), without touching the seed. */
  public static ai.djl.Device device(Device device) {
    DjlRuntime.pytorch();
    return DjlRuntime.resolve(device);
  }

  /** Intra-op threads PyTorch uses (after {@link #start}). */
  public static int threads() {
    String pinned = System.getProperty("ai.djl.pytorch.num_threads");
    return pinned != null ? Integer.parseInt(pinned.trim()) : DjlRuntime.cores();
  }
}

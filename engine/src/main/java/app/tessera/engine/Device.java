package app.tessera.engine;

/** Where networks run: {@code AUTO} takes the GPU when one is usable, else the CPU. */
public enum Device {
  AUTO,
  CPU,
  GPU
}

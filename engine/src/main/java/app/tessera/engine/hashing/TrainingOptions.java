package app.tessera.engine.hashing;

import app.tessera.engine.Device;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings shared by every hashing method. {@code params} carries method-specific settings by name
 * (e.g. {@code attention=degenerate} for BiLGSEH); each method documents the names it reads. {@code
 * checkpointDir} may be {@code null} (no checkpoints, no resume).
 */
public record TrainingOptions(
    int bits,
    int epochs,
    long seed,
    Device device,
    Path checkpointDir,
    Map<String, String> params) {
  public TrainingOptions {
    if (bits <= 0 || bits % 16 != 0) {
      throw new IllegalArgumentException("bits must be a positive multiple of 16, got " + bits);
    }
    params = Map.copyOf(params);
  }

  public String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }
}

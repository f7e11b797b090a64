package app.tessera.engine.hashing;

import app.tessera.engine.hashing.bilgseh.Bilgseh;
import app.tessera.engine.hashing.contrastive.ContrastiveHashing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hashing methods by their command-line names. One entry per method in {@link #AVAILABLE}; a
 * method that is announced but not built into this version is listed in {@link #PLANNED}, so asking
 * for it says so instead of "unknown".
 */
public final class HashingMethods {
  private HashingMethods() {}

  private static final Map<String, Supplier<HashingMethod>> AVAILABLE = new LinkedHashMap<>();
  private static final Map<String, String> PLANNED = new LinkedHashMap<>();

  static {
    AVAILABLE.put(ContrastiveHashing.NAME, ContrastiveHashing::new);
    AVAILABLE.put(RotationHashing.NAME, RotationHashing::new);
    AVAILABLE.put(Bilgseh.NAME, Bilgseh::new);
    PLANNED.put("scahn", "SCAHN (supervised, contrastive adversarial)");
  }

  /** The method called {@code name}; a clear error for unknown or not-yet-built methods. */
  public static HashingMethod byName(String name) {
    Supplier<HashingMethod> method = AVAILABLE.get(name);
    if (method != null) {
      return method.get();
    }
    if (PLANNED.containsKey(name)) {
      throw new IllegalArgumentException(
          "method '"
              + name
              + "' ("
              + PLANNED.get(name)
              + ") is not available in this build yet; available: "
              + String.join(", ", AVAILABLE.keySet()));
    }
    throw new IllegalArgumentException(
        "unknown method '" + name + "'; available: " + String.join(", ", AVAILABLE.keySet()));
  }

  /**
   * Loads a model shipped as classpath resources: the files {@code files} of a folder written by
   * {@link HashModel#save}, found under {@code resourceDir} (e.g. {@code
   * /app/tessera/models/default/hashing}), by the method named {@code method}. The files are copied
   * to a temporary folder, loaded, and the folder is deleted.
   */
  public static HashModel loadResource(String method, String resourceDir, List<String> files)
      throws java.io.IOException {
    HashingMethod hashing = byName(method);
    java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("tessera-model-");
    try {
      for (String file : files) {
        try (var in = HashingMethods.class.getResourceAsStream(resourceDir + "/" + file)) {
          if (in == null) {
            throw new java.io.IOException(
                "model resource not on the classpath: " + resourceDir + "/" + file);
          }
          java.nio.file.Files.copy(in, tmp.resolve(file));
        }
      }
      return hashing.load(tmp);
    } finally {
      try (var walk = java.nio.file.Files.walk(tmp)) {
        for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Names of the methods this build can train. */
  public static List<String> available() {
    return new ArrayList<>(AVAILABLE.keySet());
  }
}

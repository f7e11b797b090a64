package app.tessera.engine.hashing;

import app.tessera.engine.hashing.bilgseh.Bilgseh;
import app.tessera.engine.hashing.contrastive.ContrastiveHashing;
import app.tessera.engine.hashing.scahn.Scahn;
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
    AVAILABLE.put(Scahn.NAME, Scahn::new);
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

  /** Names of the methods this build can train. */
  public static List<String> available() {
    return new ArrayList<>(AVAILABLE.keySet());
  }
}

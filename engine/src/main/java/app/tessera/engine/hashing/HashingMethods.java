package app.tessera.engine.hashing;

import app.tessera.engine.hashing.bilgseh.Bilgseh;
import app.tessera.engine.hashing.contrastive.ContrastiveHashing;
import app.tessera.engine.hashing.scahn.Scahn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The hashing methods by their command-line names, one entry per method in {@link #AVAILABLE}. */
public final class HashingMethods {
  private HashingMethods() {}

  private static final Map<String, Supplier<HashingMethod>> AVAILABLE = new LinkedHashMap<>();

  static {
    AVAILABLE.put(ContrastiveHashing.NAME, ContrastiveHashing::new);
    AVAILABLE.put(RotationHashing.NAME, RotationHashing::new);
    AVAILABLE.put(ItqHashing.NAME, ItqHashing::new);
    AVAILABLE.put(Bilgseh.NAME, Bilgseh::new);
    AVAILABLE.put(Scahn.NAME, Scahn::new);
  }

  /** The method called {@code name}; a clear error, with the available names, for any other. */
  public static HashingMethod byName(String name) {
    Supplier<HashingMethod> method = AVAILABLE.get(name);
    if (method != null) {
      return method.get();
    }
    throw new IllegalArgumentException(
        "unknown method '" + name + "'; available: " + String.join(", ", AVAILABLE.keySet()));
  }

  /** Names of the methods this build can train. */
  public static List<String> available() {
    return new ArrayList<>(AVAILABLE.keySet());
  }
}

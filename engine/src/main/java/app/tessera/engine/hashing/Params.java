package app.tessera.engine.hashing;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading a method's named settings ({@link TrainingOptions#params()}): numbers with clear errors,
 * and unknown names refused (a typo must not silently train the wrong model).
 */
public final class Params {
  private Params() {}

  /** Refuses any name in {@code params} that {@code known} does not list. */
  public static void requireKnown(Map<String, String> params, Set<String> known, String method) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown "
                + method
                + " parameter '"
                + name
                + "'; known: "
                + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** The number named {@code name}, or {@code fallback} when absent. */
  public static float floatParam(Map<String, String> params, String name, float fallback) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Float.parseFloat(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + v + "'", e);
    }
  }

  /** The integer named {@code name}, or {@code fallback} when absent. */
  public static int intParam(Map<String, String> params, String name, int fallback) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
    }
  }

  /** An {@link IllegalArgumentException} with {@code message} unless {@code ok}. */
  public static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}

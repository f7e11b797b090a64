package app.tessera.engine.hashing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A method's settings as given by name ({@code --param NAME=VALUE}), read into typed values: every
 * method knows its names and rejects any other, so a typo never trains the wrong model silently.
 */
public final class MethodParams {
  private final String method;
  private final Map<String, String> values;

  private MethodParams(String method, Map<String, String> values) {
    this.method = method;
    this.values = values;
  }

  /**
   * The settings of {@code method} in {@code values}.
   *
   * @throws IllegalArgumentException when a name is not one of {@code known}
   */
  public static MethodParams of(String method, Map<String, String> values, Set<String> known) {
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            known.isEmpty()
                ? method + " takes no settings, got '" + name + "'"
                : "unknown "
                    + method
                    + " setting '"
                    + name
                    + "'; known: "
                    + String.join(", ", new TreeSet<>(known)));
      }
    }
    return new MethodParams(method, values);
  }

  /**
   * The settings {@code params} give {@code method} when several methods share them (an
   * evaluation): {@code method.name=value} is for that method only, a plain {@code name=value} for
   * every method that knows the name.
   *
   * @throws IllegalArgumentException for a qualified name of a method not in {@code methods}, or a
   *     plain name none of them knows
   */
  public static Map<String, String> forMethod(
      HashingMethod method, List<HashingMethod> methods, Map<String, String> params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      String name = param.getKey();
      int dot = name.indexOf('.');
      if (dot > 0) {
        String owner = name.substring(0, dot);
        if (methods.stream().noneMatch(m -> m.name().equals(owner))) {
          throw new IllegalArgumentException(
              "setting '" + name + "' is for method '" + owner + "', which is not evaluated");
        }
        if (owner.equals(method.name())) {
          out.put(name.substring(dot + 1), param.getValue());
        }
      } else if (method.settingNames().contains(name)) {
        out.putIfAbsent(name, param.getValue());
      } else if (methods.stream().noneMatch(m -> m.settingNames().contains(name))) {
        throw new IllegalArgumentException(
            "no method evaluated knows the setting '"
                + name
                + "' (write METHOD."
                + name
                + "=VALUE for one method)");
      }
    }
    return out;
  }

  /** The text of {@code name} (trimmed), or {@code fallback} when it is not given. */
  public String text(String name, String fallback) {
    String v = values.get(name);
    return v == null ? fallback : v.trim();
  }

  /** Whether {@code name} is given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  public int intValue(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          method + ": " + name + " must be an integer, got '" + v + "'", e);
    }
  }

  public float floatValue(String name, float fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Float.parseFloat(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          method + ": " + name + " must be a number, got '" + v + "'", e);
    }
  }

  /**
   * A check of a method's settings: an {@link IllegalArgumentException} with {@code message} unless
   * {@code ok}.
   */
  public static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}

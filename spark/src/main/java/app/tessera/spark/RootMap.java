package app.tessera.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Where the job's input folders are on this machine: {@code --root-map URI_PREFIX=LOCAL_DIR} (the
 * longest matching prefix wins); a local folder ({@code file:}) is itself unless mapped. The
 * catalogue keeps local folders, as {@code tessera index} does; they need not be mounted here.
 */
final class RootMap {
  private final Map<String, java.nio.file.Path> prefixes = new LinkedHashMap<>();

  /** Parses {@code URI_PREFIX=LOCAL_DIR} pairs. */
  RootMap(List<String> pairs) {
    List<String[]> parsed = new ArrayList<>();
    for (String pair : pairs) {
      int eq = pair.lastIndexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("--root-map wants URI_PREFIX=LOCAL_DIR, not: " + pair);
      }
      parsed.add(new String[] {strip(pair.substring(0, eq)), pair.substring(eq + 1)});
    }
    parsed.sort(Comparator.comparingInt((String[] p) -> p[0].length()).reversed());
    for (String[] p : parsed) {
      prefixes.put(p[0], java.nio.file.Path.of(p[1]).toAbsolutePath().normalize());
    }
  }

  /** The local folder of a root as the job wrote it (a URI). */
  java.nio.file.Path local(String root) {
    String uri = strip(root);
    for (Map.Entry<String, java.nio.file.Path> p : prefixes.entrySet()) {
      String prefix = p.getKey();
      if (uri.equals(prefix) || uri.startsWith(prefix + "/")) {
        String rest = uri.substring(prefix.length());
        return rest.isEmpty() ? p.getValue() : p.getValue().resolve(rest.substring(1)).normalize();
      }
    }
    java.nio.file.Path local = HadoopFiles.local(new Path(uri));
    if (local == null) {
      throw new IllegalArgumentException(
          "the archive's folder "
              + root
              + " is not on this machine: give --root-map "
              + uri
              + "=LOCAL_DIR (where it is, or would be, mounted here)");
    }
    return local.toAbsolutePath().normalize();
  }

  private static String strip(String uri) {
    return uri.endsWith("/") && uri.length() > 1 ? uri.substring(0, uri.length() - 1) : uri;
  }
}

package app.tessera.engine;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Tessera keeps its own data (libraries, downloaded models, caches), per operating system.
 * The user's photo folders are never written; everything Tessera writes lives here.
 */
public final class AppDirs {
  private AppDirs() {}

  /** Overrides every default location, e.g. for tests and portable installs. */
  public static final String HOME_PROPERTY = "tessera.home";

  /** The per-user data directory. */
  public static Path dataDir() {
    String override = System.getProperty(HOME_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    Path home = Path.of(System.getProperty("user.home"));
    if (os.contains("win")) {
      String local = System.getenv("LOCALAPPDATA");
      return (local != null ? Path.of(local) : home.resolve("AppData/Local")).resolve("Tessera");
    }
    if (os.contains("mac")) {
      return home.resolve("Library/Application Support/Tessera");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share"))
        .resolve("tessera");
  }

  /** The library used when no {@code --library FILE} is given. */
  public static Path defaultLibrary() {
    return dataDir().resolve("library.sqlite");
  }

  /**
   * The shipped demo collection unpacked, one folder per version ({@code tag}): the only folders
   * inside the data directory that a library may index.
   */
  public static Path demoDir(String tag) {
    return dataDir().resolve(DEMO_PREFIX + tag);
  }

  /** Whether {@code folder} is (inside) an unpacked demo collection ({@link #demoDir}). */
  public static boolean isDemoCollection(Path folder) {
    Path data = dataDir().toAbsolutePath().normalize();
    Path abs = folder.toAbsolutePath().normalize();
    return abs.startsWith(data)
        && !abs.equals(data)
        && data.relativize(abs).getName(0).toString().startsWith(DEMO_PREFIX);
  }

  private static final String DEMO_PREFIX = "demo-";

  /** Downloaded models (CLIP etc.), each checked by SHA-256 before use. */
  public static Path modelsDir() {
    return dataDir().resolve("models");
  }
}

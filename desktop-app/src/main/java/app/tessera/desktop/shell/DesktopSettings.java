package app.tessera.desktop.shell;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The window's own settings (theme, window size, and what the Settings page adds), kept as a small
 * properties file in Tessera's data directory, never in the user's folders. Loaded once before the
 * window shows; {@link #save()} writes the whole file atomically (call it off the FX thread).
 * Thread-safe.
 */
public final class DesktopSettings {
  private final Path file;
  private final Properties values = new Properties();

  private DesktopSettings(Path file) {
    this.file = file;
  }

  /** The settings in {@code file}; a missing or unreadable file gives the defaults. */
  public static DesktopSettings load(Path file) {
    DesktopSettings settings = new DesktopSettings(file);
    try (Reader in = Files.newBufferedReader(file)) {
      settings.values.load(in);
    } catch (NoSuchFileException e) {
      // first start: defaults
    } catch (IOException | IllegalArgumentException e) {
      // a damaged file must not keep the window from opening: defaults, rewritten on save
    }
    return settings;
  }

  /** Settings that are never written (tests, read-only starts). */
  public static DesktopSettings inMemory() {
    return new DesktopSettings(null);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.getProperty(key));
  }

  public String get(String key, String fallback) {
    return values.getProperty(key, fallback);
  }

  public double getDouble(String key, double fallback) {
    try {
      return get(key).map(Double::parseDouble).orElse(fallback);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  public int getInt(String key, int fallback) {
    try {
      return get(key).map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  public void put(String key, String value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.setProperty(key, value);
    }
  }

  public void put(String key, double value) {
    put(key, Double.toString(value));
  }

  /** Writes the file (a temporary file renamed over it, so a crash never leaves half of it). */
  public void save() {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer out = Files.newBufferedWriter(temp)) {
        synchronized (values) {
          values.store(out, "Tessera window settings");
        }
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the window settings to " + file, e);
    }
  }
}

package app.tessera.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Build facts: the version stamped in at build time. */
public final class AppInfo {
  private AppInfo() {}

  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = AppInfo.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}

package app.tessera.desktop;

import java.util.Map;
import javafx.application.Application;

/** Starts the JavaFX application from a plain {@code main}. */
public final class DesktopLauncher {
  private DesktopLauncher() {}

  /** Opens the window; if the toolkit cannot start, says why in one line and exits with 1. */
  public static void launch(String[] args) {
    try {
      Application.launch(TesseraApp.class, args);
    } catch (RuntimeException e) {
      System.err.println(whyNoWindow(e, System.getenv(), System.getProperty("os.name")));
      System.exit(1);
    }
  }

  /** The one-line explanation of a toolkit start failure, with what to do about it. */
  static String whyNoWindow(Throwable failure, Map<String, String> env, String osName) {
    String message = String.valueOf(failure.getMessage());
    String cause;
    if (message.contains("GTK")) {
      cause = "JavaFX needs the GTK 3 library (on Debian/Ubuntu: sudo apt install libgtk-3-0)";
    } else if (osName.startsWith("Linux")
        && env.getOrDefault("DISPLAY", "").isEmpty()
        && env.getOrDefault("WAYLAND_DISPLAY", "").isEmpty()) {
      cause = "there is no display (DISPLAY is not set)";
    } else {
      cause = "the graphics toolkit did not start (" + message + ")";
    }
    return "tessera: cannot open the window: "
        + cause
        + ". The command line works without one: ./tessera --help";
  }
}

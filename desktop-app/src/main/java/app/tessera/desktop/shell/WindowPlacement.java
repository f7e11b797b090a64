package app.tessera.desktop.shell;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** Remembers the window's size, place and maximised state in {@link DesktopSettings}. */
public final class WindowPlacement {
  static final double DEFAULT_WIDTH = 1200;
  static final double DEFAULT_HEIGHT = 780;

  private WindowPlacement() {}

  /**
   * Gives {@code stage} the remembered size and place (a place no screen shows any more is
   * forgotten), and remembers every change from now on.
   */
  public static void restoreAndTrack(Stage stage, DesktopSettings settings) {
    double width = Math.max(640, settings.getDouble("window.width", DEFAULT_WIDTH));
    double height = Math.max(480, settings.getDouble("window.height", DEFAULT_HEIGHT));
    stage.setWidth(width);
    stage.setHeight(height);
    double x = settings.getDouble("window.x", Double.NaN);
    double y = settings.getDouble("window.y", Double.NaN);
    if (!Double.isNaN(x) && !Double.isNaN(y) && onSomeScreen(x, y)) {
      stage.setX(x);
      stage.setY(y);
    }
    stage.setMaximized(Boolean.parseBoolean(settings.get("window.maximized", "false")));
    stage.setMinWidth(640);
    stage.setMinHeight(480);

    stage.widthProperty().addListener((o, a, w) -> keep(stage, settings, "window.width", w));
    stage.heightProperty().addListener((o, a, h) -> keep(stage, settings, "window.height", h));
    stage.xProperty().addListener((o, a, v) -> keep(stage, settings, "window.x", v));
    stage.yProperty().addListener((o, a, v) -> keep(stage, settings, "window.y", v));
    stage
        .maximizedProperty()
        .addListener((o, a, m) -> settings.put("window.maximized", Boolean.toString(m)));
  }

  private static void keep(Stage stage, DesktopSettings settings, String key, Number value) {
    if (!stage.isMaximized() && !stage.isIconified()) { // the size to return to
      settings.put(key, value.doubleValue());
    }
  }

  private static boolean onSomeScreen(double x, double y) {
    for (Screen screen : Screen.getScreens()) {
      Rectangle2D bounds = screen.getVisualBounds();
      if (bounds.contains(x + 40, y + 20)) {
        return true;
      }
    }
    return false;
  }
}

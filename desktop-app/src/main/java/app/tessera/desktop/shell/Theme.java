package app.tessera.desktop.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Locale;
import javafx.application.Application;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The window's look: AtlantaFX's Primer theme, light or dark, under Tessera's own stylesheet (which
 * uses the theme's colour variables, so it follows the switch). The Settings page calls {@link
 * #use}; the choice is remembered in {@link DesktopSettings}. FX thread only.
 */
public final class Theme {
  /** The two looks. */
  public enum Mode {
    LIGHT("Light"),
    DARK("Dark");

    private final String title;

    Mode(String title) {
      this.title = title;
    }

    @Override
    public String toString() {
      return title;
    }
  }

  static final String KEY = "theme";

  /** Tessera's stylesheet, added to every scene after the theme. */
  public static final String STYLESHEET =
      Theme.class.getResource("/app/tessera/desktop/tessera.css").toExternalForm();

  private final DesktopSettings settings;
  private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>();

  public Theme(DesktopSettings settings) {
    this.settings = settings;
    Mode saved;
    try {
      saved = Mode.valueOf(settings.get(KEY, "LIGHT").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      saved = Mode.LIGHT;
    }
    mode.set(saved);
    mode.addListener((obs, old, now) -> apply(now));
  }

  /** Applies the remembered look (call once, before the first window shows). */
  public void applySaved() {
    apply(mode.get());
  }

  /** Switches every window to {@code next} at once and remembers it. */
  public void use(Mode next) {
    mode.set(next);
  }

  public Mode mode() {
    return mode.get();
  }

  /** The current look; the Settings page may bind a control to it. */
  public ObjectProperty<Mode> modeProperty() {
    return mode;
  }

  private void apply(Mode now) {
    Application.setUserAgentStylesheet(
        now == Mode.DARK
            ? new PrimerDark().getUserAgentStylesheet()
            : new PrimerLight().getUserAgentStylesheet());
    settings.put(KEY, now.name());
  }
}

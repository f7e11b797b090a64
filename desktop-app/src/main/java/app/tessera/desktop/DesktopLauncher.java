package app.tessera.desktop;

import javafx.application.Application;

/** Starts the JavaFX application from a plain {@code main}. */
public final class DesktopLauncher {
  private DesktopLauncher() {}

  public static void launch(String[] args) {
    Application.launch(TesseraApp.class, args);
  }
}

package app.tessera.desktop;

import app.tessera.desktop.library.LibrariesViewModel;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.SystemActions;
import app.tessera.desktop.shell.Theme;
import app.tessera.desktop.shell.WindowPlacement;
import app.tessera.engine.AppDirs;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The desktop application: one window with {@link MainWindow} inside it, over the default library.
 * The window shows at once; the library and model open in the background.
 */
public final class TesseraApp extends Application {
  public static final String TITLE = "Tessera";

  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private DesktopSettings settings;
  private Workspace workspace;

  @Override
  public void init() {
    // Off the FX thread: a small file, read before the first window.
    settings = DesktopSettings.load(AppDirs.dataDir().resolve("desktop.properties"));
  }

  @Override
  public void start(Stage stage) {
    Theme theme = new Theme(settings);
    theme.applySaved();
    // The library used last (the default one on a fresh machine, filled with the demo collection).
    Path file = LibrariesViewModel.lastUsed(settings, AppDirs.defaultLibrary());
    workspace =
        new Workspace(new LibrarySession(file, file.equals(AppDirs.defaultLibrary())), tasks);
    MainWindow window = new MainWindow(workspace, tasks, theme, SystemActions.platform(), settings);
    Scene scene = new Scene(window.view().root());
    scene.getStylesheets().add(Theme.STYLESHEET);
    stage.setTitle(TITLE);
    stage.setScene(scene);
    WindowPlacement.restoreAndTrack(stage, settings);
    stage.show();
    window.open();
  }

  @Override
  public void stop() {
    try {
      settings.save();
    } catch (RuntimeException e) {
      System.err.println("tessera: " + e.getMessage());
    }
    tasks.close();
    if (workspace != null) {
      workspace.close();
    }
  }
}

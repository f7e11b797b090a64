package app.tessera.desktop;

import app.tessera.desktop.activity.ActivityLog;
import app.tessera.desktop.library.LibraryViewModel;
import app.tessera.desktop.models.ModelsViewModel;
import app.tessera.desktop.search.SearchViewModel;
import app.tessera.engine.AppDirs;
import app.tessera.engine.api.Gpu;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The desktop application: one window, {@link MainView} inside it, over the default library. The
 * window shows at once; the library and model open in the background.
 */
public final class TesseraApp extends Application {
  public static final String TITLE = "Tessera";

  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private final ActivityLog activity = new ActivityLog();
  private final Workspace workspace =
      new Workspace(new LibrarySession(AppDirs.defaultLibrary()), tasks);

  @Override
  public void start(Stage stage) {
    SearchViewModel search = new SearchViewModel(workspace.search(), tasks);
    LibraryViewModel library =
        new LibraryViewModel(
            workspace.library()::library,
            tasks,
            report -> {
              activity.accept(report.summary());
              workspace.code(activity);
            });
    ModelsViewModel models =
        new ModelsViewModel(
            workspace.library()::library, tasks, dir -> workspace.use(dir, activity));
    MainView view = new MainView(search, library, models, activity);
    Scene scene = new Scene(view.root(), 1100, 720);
    scene.getStylesheets().add(TesseraApp.class.getResource("tessera.css").toExternalForm());
    stage.setTitle(TITLE);
    stage.setScene(scene);
    stage.show();

    view.statusBar().setText("Opening " + AppDirs.defaultLibrary() + "…");
    view.statusBar().setProgress(-1);
    tasks.run(
        () ->
            workspace.open(
                line -> {
                  activity.accept(line);
                  Platform.runLater(() -> view.statusBar().setText(line));
                }),
        status -> {
          activity.accept(status);
          view.statusBar().setProgress(0);
          view.statusBar().setText(status);
          library.refresh();
          models.refresh();
          // The model is loaded, so the engine has started: say where it runs.
          tasks.run(
              Gpu::status,
              device -> view.showDevice(device.device(), device.reason()),
              failure -> view.showDevice("CPU", String.valueOf(failure.getMessage())));
        },
        failure -> {
          view.statusBar().setProgress(0);
          String reason = failure.getMessage() == null ? failure.toString() : failure.getMessage();
          workspace.search().notReady("Search is unavailable: " + reason);
          view.statusBar().setText("Could not open the library: " + reason);
          activity.accept("Could not open the library: " + reason);
        });
  }

  @Override
  public void stop() {
    tasks.close();
    workspace.close();
  }
}

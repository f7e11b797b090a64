package app.tessera.desktop;

import app.tessera.desktop.library.LibraryViewModel;
import app.tessera.desktop.search.SearchBackend;
import app.tessera.desktop.search.SearchViewModel;
import app.tessera.engine.AppDirs;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The desktop application: one window, {@link MainView} inside it. */
public final class TesseraApp extends Application {
  public static final String TITLE = "Tessera";

  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private final LibrarySession library = new LibrarySession(AppDirs.defaultLibrary());

  @Override
  public void start(Stage stage) {
    SearchViewModel search =
        new SearchViewModel(SearchBackend.unavailable("No library is open yet."), tasks);
    LibraryViewModel libraryModel = new LibraryViewModel(library::catalog, tasks, report -> {});
    MainView view = new MainView(search, libraryModel);
    view.statusBar().setText("Library: " + library.file());
    libraryModel.refresh();
    Scene scene = new Scene(view.root(), 1100, 720);
    scene.getStylesheets().add(TesseraApp.class.getResource("tessera.css").toExternalForm());
    stage.setTitle(TITLE);
    stage.setScene(scene);
    stage.show();
  }

  @Override
  public void stop() {
    tasks.close();
    library.close();
  }
}

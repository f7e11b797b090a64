package app.tessera.desktop;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The desktop application: one window, {@link MainView} inside it. */
public final class TesseraApp extends Application {
  public static final String TITLE = "Tessera";

  @Override
  public void start(Stage stage) {
    MainView view = new MainView();
    Scene scene = new Scene(view.root(), 1100, 720);
    scene.getStylesheets().add(TesseraApp.class.getResource("tessera.css").toExternalForm());
    stage.setTitle(TITLE);
    stage.setScene(scene);
    stage.show();
  }
}

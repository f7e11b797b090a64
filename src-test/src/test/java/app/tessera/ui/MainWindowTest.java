package app.tessera.ui;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.MainView;
import app.tessera.desktop.Page;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The main window, headless (Monocle): navigation switches pages, search offers 4 directions. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
  @Start
  void start(Stage stage) {
    stage.setScene(new Scene(new MainView().root(), 1000, 700));
    stage.show();
  }

  @Test
  void opensOnSearchWithTheFourDirections(FxRobot robot) {
    StackPane content = robot.lookup("#content").queryAs(StackPane.class);
    assertThat(content.getChildren())
        .singleElement()
        .extracting(n -> n.getId())
        .isEqualTo("page-search");
    ComboBox<?> direction = robot.lookup("#direction").queryComboBox();
    assertThat(direction.getItems()).hasSize(4);
  }

  @Test
  void navigationShowsEachPage(FxRobot robot) {
    ListView<Page> navigation = robot.lookup("#navigation").queryListView();
    assertThat(navigation.getItems()).containsExactly(Page.values());
    robot.clickOn("Library");
    StackPane content = robot.lookup("#content").queryAs(StackPane.class);
    assertThat(content.getChildren())
        .singleElement()
        .extracting(n -> n.getId())
        .isEqualTo("page-library");
    robot.clickOn("Models");
    assertThat(content.getChildren())
        .singleElement()
        .extracting(n -> n.getId())
        .isEqualTo("page-models");
  }
}

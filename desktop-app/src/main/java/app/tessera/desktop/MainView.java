package app.tessera.desktop;

import app.tessera.desktop.activity.ActivityLog;
import app.tessera.desktop.activity.ActivityView;
import app.tessera.desktop.library.LibraryView;
import app.tessera.desktop.library.LibraryViewModel;
import app.tessera.desktop.models.ModelsView;
import app.tessera.desktop.models.ModelsViewModel;
import app.tessera.desktop.search.SearchView;
import app.tessera.desktop.search.SearchViewModel;
import java.util.EnumMap;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;

/**
 * The main window's layout: navigation on the left, the selected page in the centre, a status bar
 * at the bottom. Pages are built once and swapped, so switching keeps their state.
 */
public final class MainView {
  private final BorderPane root = new BorderPane();
  private final ListView<Page> navigation = new ListView<>();
  private final StackPane content = new StackPane();
  private final Map<Page, Node> pages = new EnumMap<>(Page.class);
  private final StatusBar statusBar = new StatusBar();
  private final Label device = new Label();

  public MainView(
      SearchViewModel search,
      LibraryViewModel library,
      ModelsViewModel models,
      ActivityLog activity) {
    navigation.setId("navigation");
    navigation.getItems().setAll(Page.values());
    navigation.setPrefWidth(180);
    navigation.setCellFactory(
        list ->
            new ListCell<>() {
              @Override
              protected void updateItem(Page page, boolean empty) {
                super.updateItem(page, empty);
                setText(empty || page == null ? null : page.title());
              }
            });
    navigation
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((obs, old, page) -> show(page));

    for (Page page : Page.values()) {
      Node node =
          switch (page) {
            case SEARCH -> new SearchView(search, heading(page)).root();
            case LIBRARY -> new LibraryView(library, heading(page)).root();
            case MODELS -> new ModelsView(models, heading(page)).root();
            case ACTIVITY -> new ActivityView(activity, heading(page)).root();
          };
      pages.put(page, node);
    }
    content.setId("content");
    statusBar.setId("status");
    statusBar.setText("No library open");
    device.setId("device");
    statusBar.getRightItems().add(device);

    root.setLeft(navigation);
    root.setCenter(content);
    root.setBottom(statusBar);
    navigation.getSelectionModel().select(Page.SEARCH);
  }

  public StatusBar statusBar() {
    return statusBar;
  }

  /** Where networks run, at the right of the status bar ({@code GPU · <name>} or {@code CPU}). */
  public void showDevice(String summary, String why) {
    device.setText(summary);
    device.setTooltip(new Tooltip(why));
  }

  public BorderPane root() {
    return root;
  }

  private void show(Page page) {
    if (page != null) {
      content.getChildren().setAll(pages.get(page));
    }
  }

  private static Node heading(Page page) {
    Label title = new Label(page.title());
    title.getStyleClass().add("page-title");
    Label summary = new Label(page.summary());
    summary.getStyleClass().add("page-summary");
    return new VBox(2, title, summary);
  }
}

package app.tessera.desktop;

import app.tessera.desktop.shell.Notifications;
import app.tessera.desktop.shell.NotificationsView;
import app.tessera.desktop.shell.StatusBarModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The main window's shell: navigation on the left, the selected page in the centre, the status bar
 * at the bottom and non-modal notifications over the bottom-right corner. Pages are registered with
 * {@link #addPage} (in navigation order; Ctrl+1, Ctrl+2, … show them), built once and swapped, so
 * switching keeps their state. Window-wide shortcuts are added with {@link #addShortcut}.
 */
public final class MainView {
  private final StackPane root = new StackPane();
  private final BorderPane frame = new BorderPane();
  private final ListView<Page> navigation = new ListView<>();
  private final StackPane content = new StackPane();
  private final Map<Page, Node> pages = new LinkedHashMap<>();
  private final Map<KeyCombination, Runnable> shortcuts = new LinkedHashMap<>();
  private final StatusBarModel status = new StatusBarModel();

  public MainView(Notifications notifications) {
    navigation.setId("navigation");
    navigation.getStyleClass().add("navigation");
    navigation.setPrefWidth(190);
    navigation.setCellFactory(list -> new PageCell());
    navigation
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((obs, old, page) -> showContent(page));
    Label brand = new Label("Tessera", new FontIcon(Feather.GRID));
    brand.getStyleClass().add("brand");
    VBox side = new VBox(brand, navigation);
    side.getStyleClass().add("sidebar");
    VBox.setVgrow(navigation, Priority.ALWAYS);

    content.setId("content");
    content.getStyleClass().add("content");

    frame.setLeft(side);
    frame.setCenter(content);
    frame.setBottom(statusBar());
    NotificationsView toasts = new NotificationsView(notifications);
    StackPane.setAlignment(toasts.root(), Pos.BOTTOM_RIGHT);
    StackPane.setMargin(toasts.root(), new Insets(0, 0, 28, 0)); // above the status bar
    root.getChildren().addAll(frame, toasts.root());
    root.setId("main");
    root.sceneProperty().addListener((obs, old, scene) -> installShortcuts(scene));
  }

  /**
   * Adds a page: {@code view} gets the page's heading (title and summary) and returns the page's
   * root node, whose id should be {@code "page-" + page.id()}. The first page added is shown first.
   */
  public void addPage(Page page, Function<Node, Node> view) {
    Node node = view.apply(heading(page));
    pages.put(page, node);
    navigation.getItems().add(page);
    int number = navigation.getItems().size();
    if (number <= 9) {
      addShortcut(
          new KeyCodeCombination(KeyCode.valueOf("DIGIT" + number), KeyCombination.SHORTCUT_DOWN),
          () -> show(page));
    }
    if (number == 1) {
      navigation.getSelectionModel().select(page);
    }
  }

  /** Shows {@code page} (and selects it in the navigation). */
  public void show(Page page) {
    navigation.getSelectionModel().select(page);
  }

  /** The page shown now. */
  public Page shownPage() {
    return navigation.getSelectionModel().getSelectedItem();
  }

  /** The registered pages, in navigation order. */
  public List<Page> pages() {
    return new ArrayList<>(pages.keySet());
  }

  /** A window-wide shortcut (e.g. Ctrl+F), active whichever control has the focus. */
  public void addShortcut(KeyCombination keys, Runnable action) {
    shortcuts.put(keys, action);
    if (root.getScene() != null) {
      root.getScene().getAccelerators().put(keys, action);
    }
  }

  public StatusBarModel status() {
    return status;
  }

  /** Where networks run, at the right of the status bar ({@code GPU · <name>} or {@code CPU}). */
  public void showDevice(String summary, String why) {
    status.deviceProperty().set(summary);
    status.deviceDetailsProperty().set(why);
  }

  public Region root() {
    return root;
  }

  private void installShortcuts(Scene scene) {
    if (scene != null) {
      scene.getAccelerators().putAll(shortcuts);
    }
  }

  private void showContent(Page page) {
    if (page != null) {
      content.getChildren().setAll(pages.get(page));
    }
  }

  private Node statusBar() {
    Label message = new Label();
    message.setId("status");
    message.textProperty().bind(status.messageProperty());
    message.setMinWidth(0);
    ProgressBar progress = new ProgressBar();
    progress.setId("status-progress");
    progress.setPrefWidth(120);
    progress.progressProperty().bind(status.progressProperty());
    progress.visibleProperty().bind(status.progressProperty().isNotEqualTo(0, 1e-9));
    progress.managedProperty().bind(progress.visibleProperty());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox bar =
        new HBox(
            8,
            progress,
            message,
            spacer,
            item(
                "status-library",
                Feather.DATABASE,
                status.libraryProperty(),
                status.libraryDetailsProperty()),
            new Separator(Orientation.VERTICAL),
            item(
                "status-model",
                Feather.LAYERS,
                status.modelProperty(),
                status.modelDetailsProperty()),
            new Separator(Orientation.VERTICAL),
            item("device", Feather.ZAP, status.deviceProperty(), status.deviceDetailsProperty()));
    bar.setId("status-bar");
    bar.getStyleClass().add("status-bar");
    bar.setAlignment(Pos.CENTER_LEFT);
    return bar;
  }

  private static Label item(
      String id,
      Feather icon,
      javafx.beans.property.StringProperty text,
      javafx.beans.property.StringProperty details) {
    Label label = new Label();
    label.setId(id);
    label.textProperty().bind(text);
    label.setGraphic(new FontIcon(icon));
    label.visibleProperty().bind(text.isNotEmpty());
    label.managedProperty().bind(label.visibleProperty());
    Tooltip tip = new Tooltip();
    tip.textProperty().bind(details);
    label
        .tooltipProperty()
        .bind(Bindings.when(details.isEmpty()).then((Tooltip) null).otherwise(tip));
    return label;
  }

  private static Node heading(Page page) {
    Label title = new Label(page.title());
    title.getStyleClass().add("page-title");
    Label summary = new Label(page.summary());
    summary.getStyleClass().add("page-summary");
    return new VBox(2, title, summary);
  }

  /** A navigation entry: the page's icon and title; its summary and shortcut as the tooltip. */
  private final class PageCell extends ListCell<Page> {
    @Override
    protected void updateItem(Page page, boolean empty) {
      super.updateItem(page, empty);
      if (empty || page == null) {
        setText(null);
        setGraphic(null);
        setTooltip(null);
        return;
      }
      setText(page.title());
      setGraphic(new FontIcon(page.icon()));
      int number = navigation.getItems().indexOf(page) + 1;
      setTooltip(new Tooltip(page.summary() + (number <= 9 ? "  (Ctrl+" + number + ")" : "")));
    }
  }
}

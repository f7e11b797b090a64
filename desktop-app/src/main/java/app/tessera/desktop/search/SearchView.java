package app.tessera.desktop.search;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.EmptyState;
import app.tessera.desktop.shell.Notifications;
import app.tessera.desktop.shell.SystemActions;
import atlantafx.base.controls.CustomTextField;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javax.imageio.ImageIO;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The search page: a query bar (words, an image dropped, pasted or chosen; images, captions or
 * both; filters; export), a status line that says how many of how many matched, the results (a
 * virtualised grid of thumbnails and a list of captions with their image), the filters side panel,
 * and the preview over the results.
 */
public final class SearchView {
  static final List<String> IMAGE_EXTENSIONS =
      List.of("jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "heic");

  private final SearchViewModel model;
  private final BackgroundTasks tasks;
  private final SystemActions system;
  private final Notifications notifications;
  private final StackPane root;
  private final CustomTextField query = new CustomTextField();
  private final ResultGrid grid;
  private final ListView<ResultCard> captions;

  public SearchView(
      SearchViewModel model,
      Node heading,
      BackgroundTasks tasks,
      SystemActions system,
      Notifications notifications) {
    this.model = model;
    this.tasks = tasks;
    this.system = system;
    this.notifications = notifications;

    query.setId("query");
    query.setPromptText("Describe what you are looking for, or drop an image here");
    query.setLeft(new FontIcon(Feather.SEARCH));
    Button clearText = new Button(null, new FontIcon(Feather.X));
    clearText.getStyleClass().addAll("button-icon", "flat", "small");
    clearText.setFocusTraversable(false);
    clearText.visibleProperty().bind(model.textProperty().isNotEmpty());
    clearText.setOnAction(e -> model.textProperty().set(""));
    query.setRight(clearText);
    query.textProperty().bindBidirectional(model.textProperty());
    query.setOnAction(e -> model.search());
    query.setTooltip(new Tooltip("Results follow as you type (Ctrl+F)"));
    HBox.setHgrow(query, Priority.ALWAYS);

    Label imageChip = new Label();
    imageChip.setId("query-image");
    imageChip.getStyleClass().add("query-chip");
    imageChip.setGraphic(new FontIcon(Feather.IMAGE));
    imageChip
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> {
                  QueryImage chosen = model.imageProperty().get();
                  if (chosen == null) {
                    return "";
                  }
                  return chosen.name() + (model.textProperty().get().isBlank() ? "" : "  + text");
                },
                model.imageProperty(),
                model.textProperty()));
    imageChip.visibleProperty().bind(model.imageProperty().isNotNull());
    imageChip.managedProperty().bind(imageChip.visibleProperty());
    imageChip.setTooltip(
        new Tooltip("Searching with this image (and any words you type). Click to remove it."));
    imageChip.setOnMouseClicked(e -> model.imageProperty().set(null));

    Button chooseImage = new Button("Image…", new FontIcon(Feather.IMAGE));
    chooseImage.setId("choose-image");
    chooseImage.setTooltip(new Tooltip("Search with an image file (Ctrl+O); or drop or paste one"));
    chooseImage.setOnAction(e -> chooseImage());

    ToggleGroup targets = new ToggleGroup();
    HBox targetBox = new HBox();
    targetBox.getStyleClass().add("segmented");
    for (SearchQuery.Target t : SearchQuery.Target.values()) {
      ToggleButton b = new ToggleButton(t.title());
      b.setId("target-" + t.name().toLowerCase(Locale.ROOT));
      b.setUserData(t);
      b.setToggleGroup(targets);
      b.setSelected(t == model.targetProperty().get());
      b.setTooltip(new Tooltip("Show " + t.title().toLowerCase(Locale.ROOT)));
      targetBox.getChildren().add(b);
    }
    targetBox.getChildren().getFirst().getStyleClass().add("left-pill");
    targetBox.getChildren().get(1).getStyleClass().add("center-pill");
    targetBox.getChildren().getLast().getStyleClass().add("right-pill");
    targets
        .selectedToggleProperty()
        .addListener(
            (obs, old, now) -> {
              if (now == null) {
                old.setSelected(true); // one target is always selected
              } else {
                model.targetProperty().set((SearchQuery.Target) now.getUserData());
              }
            });

    ToggleButton filters = new ToggleButton(null, new FontIcon(Feather.FILTER));
    filters.setId("toggle-filters");
    filters.setTooltip(new Tooltip("Filters: folder, path pattern, dates, label"));
    MenuButton export = new MenuButton(null, new FontIcon(Feather.DOWNLOAD));
    export.setId("export");
    export.setTooltip(new Tooltip("Export the results shown"));
    MenuItem csv = new MenuItem("Export as CSV…");
    csv.setOnAction(e -> export("csv"));
    MenuItem json = new MenuItem("Export as JSON…");
    json.setOnAction(e -> export("json"));
    export.getItems().addAll(csv, json);

    HBox bar = new HBox(8, query, imageChip, chooseImage, targetBox, filters, export);
    bar.setAlignment(Pos.CENTER_LEFT);

    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setMaxSize(16, 16);
    spinner.visibleProperty().bind(model.busyProperty());
    Label status = new Label();
    status.setId("search-status");
    status.textProperty().bind(model.statusProperty());
    model
        .failedProperty()
        .addListener(
            (obs, was, failed) -> {
              status.getStyleClass().remove("danger");
              if (failed) {
                status.getStyleClass().add("danger");
              }
            });
    Hyperlink more = new Hyperlink("Show more");
    more.setId("show-more");
    more.visibleProperty().bind(model.moreProperty());
    more.setOnAction(e -> model.showMore());
    HBox statusLine = new HBox(6, spinner, status, more);
    statusLine.setAlignment(Pos.CENTER_LEFT);

    grid = new ResultGrid(model.imageResults(), model.thumbnails(), model.tileSizeProperty());
    grid.setOnOpen(i -> model.preview().open(List.copyOf(model.imageResults()), i));
    grid.setOnMenu(
        (i, e) ->
            menu(model.imageResults().get(i)).show(grid.node(), e.getScreenX(), e.getScreenY()));
    captions = captionList();

    SplitPane split = new SplitPane();
    split.setId("results-split");
    split.setOrientation(Orientation.HORIZONTAL);
    Runnable layoutTargets =
        () -> {
          SearchQuery.Target t = model.targetProperty().get();
          split
              .getItems()
              .setAll(
                  t == SearchQuery.Target.IMAGES
                      ? List.of(grid.node())
                      : t == SearchQuery.Target.CAPTIONS
                          ? List.of(captions)
                          : List.of(grid.node(), captions));
          if (t == SearchQuery.Target.BOTH) {
            split.setDividerPositions(0.6);
          }
        };
    model.targetProperty().addListener((obs, old, now) -> layoutTargets.run());
    layoutTargets.run();

    VBox empty =
        EmptyState.of(
            Feather.SEARCH,
            "Search your library",
            "Type a few words, drop an image here, paste one (Ctrl+V) or choose one (Ctrl+O).");
    empty.setId("search-empty");
    Runnable updateEmpty =
        () -> {
          boolean none = model.imageResults().isEmpty() && model.captionResults().isEmpty();
          empty.setVisible(none);
          if (model.failedProperty().get()) {
            EmptyState.say(empty, "The search did not run", model.statusProperty().get());
          } else if (!model.textProperty().get().isBlank() || model.imageProperty().get() != null) {
            EmptyState.say(
                empty,
                model.busyProperty().get() ? "Searching…" : "Nothing found",
                model.activeFilters() > 0
                    ? "Try other words, or clear the filters."
                    : "Try other words or another image.");
          } else {
            EmptyState.say(
                empty,
                "Search your library",
                "Type a few words, drop an image here, paste one (Ctrl+V) or choose one (Ctrl+O).");
          }
        };
    model.imageResults().addListener((ListChangeListener<ResultCard>) c -> updateEmpty.run());
    model.captionResults().addListener((ListChangeListener<ResultCard>) c -> updateEmpty.run());
    model.statusProperty().addListener((obs, o, n) -> updateEmpty.run());
    model.busyProperty().addListener((obs, o, n) -> updateEmpty.run());
    updateEmpty.run();
    empty.setMouseTransparent(true);

    StackPane results = new StackPane(split, empty);
    results.setId("results");
    VBox.setVgrow(results, Priority.ALWAYS);

    Node filterPanel = filterPanel();
    filterPanel.visibleProperty().bind(filters.selectedProperty());
    filterPanel.managedProperty().bind(filters.selectedProperty());
    filters
        .selectedProperty()
        .addListener(
            (obs, was, shown) -> {
              if (shown) {
                model.refreshChoices();
              }
            });
    HBox body = new HBox(12, results, filterPanel);
    HBox.setHgrow(results, Priority.ALWAYS);
    VBox.setVgrow(body, Priority.ALWAYS);

    VBox page = new VBox(12, heading, bar, statusLine, body);
    page.setPadding(new Insets(16));
    PreviewView preview = new PreviewView(model.preview(), model.thumbnails());
    root = new StackPane(page, preview.root());
    root.setId("page-search");
    // Down in the search box goes to the results (then arrows move, Enter previews).
    query.addEventFilter(
        KeyEvent.KEY_PRESSED,
        e -> {
          if (e.getCode() != KeyCode.DOWN) {
            return;
          }
          if (model.targetProperty().get() == SearchQuery.Target.CAPTIONS) {
            if (!model.captionResults().isEmpty()) {
              captions.requestFocus();
              captions.getSelectionModel().select(0);
              e.consume();
            }
          } else if (!model.imageResults().isEmpty()) {
            grid.node().requestFocus();
            grid.select(Math.max(0, grid.selectedProperty().get()));
            e.consume();
          }
        });
    model
        .preview()
        .showingProperty()
        .addListener(
            (obs, was, showing) -> {
              if (!showing) { // back where the user was
                if (model.targetProperty().get() == SearchQuery.Target.CAPTIONS) {
                  captions.requestFocus();
                } else {
                  grid.node().requestFocus();
                }
              }
            });
    model
        .preview()
        .indexProperty()
        .addListener(
            (obs, old, index) -> {
              if (model.preview().showingProperty().get() && index.intValue() >= 0) {
                ResultCard shown = model.preview().cardProperty().get();
                if (shown != null && !shown.isCaption()) {
                  grid.select(index.intValue()); // the grid follows the preview
                } else if (shown != null) {
                  captions.getSelectionModel().select(index.intValue());
                }
              }
            });
    acceptDroppedImages(root);
    root.addEventFilter(KeyEvent.KEY_PRESSED, this::pasteKey);
  }

  public Node root() {
    return root;
  }

  /** Ctrl+F: to the query box, its text selected. */
  public void focusQuery() {
    query.requestFocus();
    query.selectAll();
  }

  /** Ctrl+O: choose an image file to search with. */
  public void chooseImage() {
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Search with an image");
    chooser
        .getExtensionFilters()
        .add(
            new FileChooser.ExtensionFilter(
                "Images", IMAGE_EXTENSIONS.stream().map(e -> "*." + e).toList()));
    File file = chooser.showOpenDialog(root.getScene().getWindow());
    if (file != null) {
      model.useImage(new QueryImage.File(file.toPath()));
    }
  }

  /**
   * Ctrl+V with an image (or an image file) on the clipboard searches with it; text is pasted into
   * the box as usual.
   */
  public boolean pasteImage() {
    Clipboard clipboard = Clipboard.getSystemClipboard();
    if (clipboard.hasFiles()) {
      for (File file : clipboard.getFiles()) {
        if (isImage(file.toPath())) {
          model.useImage(new QueryImage.File(file.toPath()));
          return true;
        }
      }
    }
    if (clipboard.hasImage() && !clipboard.hasString()) {
      Image pasted = clipboard.getImage();
      tasks.run(
          () -> {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SwingFXUtils.fromFXImage(pasted, null), "png", png);
            return png.toByteArray();
          },
          bytes -> model.useImage(new QueryImage.Pasted(bytes)),
          failure -> notifications.error("Cannot use the pasted image", failure));
      return true;
    }
    return false;
  }

  private void pasteKey(KeyEvent e) {
    if (e.isShortcutDown() && e.getCode() == KeyCode.V && pasteImage()) {
      e.consume();
    }
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1));
  }

  private ListView<ResultCard> captionList() {
    ListView<ResultCard> list = new ListView<>(model.captionResults());
    list.setId("caption-results");
    list.getStyleClass().add("caption-results");
    list.setCellFactory(view -> new CaptionCell());
    list.setFixedCellSize(CaptionCell.HEIGHT); // rows never overlap, and 100k rows scroll evenly
    list.setOnMouseClicked(
        e -> {
          if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
            openCaption(list);
          }
        });
    list.addEventFilter(
        KeyEvent.KEY_PRESSED,
        e -> {
          if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.SPACE) {
            openCaption(list);
            e.consume();
          }
        });
    list.setOnContextMenuRequested(
        e -> {
          ResultCard card = list.getSelectionModel().getSelectedItem();
          if (card != null) {
            menu(card).show(list, e.getScreenX(), e.getScreenY());
          }
          e.consume();
        });
    return list;
  }

  private void openCaption(ListView<ResultCard> list) {
    int at = list.getSelectionModel().getSelectedIndex();
    if (at >= 0) {
      model.preview().open(List.copyOf(model.captionResults()), at);
    }
  }

  /** The context menu of a result. */
  private ContextMenu menu(ResultCard card) {
    MenuItem preview = item("Preview", Feather.EYE, () -> previewCard(card));
    MenuItem open = item("Open", Feather.EXTERNAL_LINK, () -> withFile(card, "open"));
    MenuItem reveal = item("Show in folder", Feather.FOLDER, () -> withFile(card, "reveal"));
    MenuItem copyPath =
        item("Copy path", Feather.CLIPBOARD, () -> copyText(String.valueOf(card.path())));
    MenuItem copyCaption = item("Copy caption", Feather.TYPE, () -> copyText(card.caption()));
    copyCaption.setDisable(card.caption() == null);
    MenuItem copyImage = item("Copy image", Feather.COPY, () -> copyImage(card));
    MenuItem more =
        item(
            "More like this",
            Feather.LAYERS,
            () -> model.useImage(new QueryImage.Item(card.itemId(), card.fileName())));
    MenuItem withCaption =
        item("Search with this caption", Feather.SEARCH, () -> model.searchText(card.caption()));
    withCaption.setDisable(card.caption() == null);
    ContextMenu menu =
        new ContextMenu(
            preview,
            new SeparatorMenuItem(),
            open,
            reveal,
            new SeparatorMenuItem(),
            copyPath,
            copyCaption,
            copyImage,
            new SeparatorMenuItem(),
            more,
            withCaption);
    menu.setId("result-menu");
    return menu;
  }

  private void previewCard(ResultCard card) {
    ObservableList<ResultCard> list =
        card.isCaption() ? model.captionResults() : model.imageResults();
    model.preview().open(List.copyOf(list), list.indexOf(card));
  }

  private static MenuItem item(String text, Feather icon, Runnable action) {
    MenuItem item = new MenuItem(text, new FontIcon(icon));
    item.setOnAction(e -> action.run());
    return item;
  }

  private void withFile(ResultCard card, String what) {
    Path file = card.path();
    tasks.run(
        () -> {
          if (what.equals("open")) {
            system.open(file);
          } else {
            system.reveal(file);
          }
          return null;
        },
        done -> {},
        failure ->
            notifications.error(
                (what.equals("open") ? "Cannot open " : "Cannot show ") + card.fileName(),
                failure));
  }

  private static void copyText(String text) {
    ClipboardContent content = new ClipboardContent();
    content.putString(text);
    Clipboard.getSystemClipboard().setContent(content);
  }

  private void copyImage(ResultCard card) {
    tasks.run(
        () -> {
          Image full = new Image(card.path().toUri().toString(), false);
          if (full.isError()) {
            throw new java.io.IOException("cannot read " + card.path(), full.getException());
          }
          return full;
        },
        full -> {
          ClipboardContent content = new ClipboardContent();
          content.putImage(full);
          Clipboard.getSystemClipboard().setContent(content);
          notifications.info("Image copied", card.fileName());
        },
        failure -> notifications.error("Cannot copy " + card.fileName(), failure));
  }

  private void export(String format) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Export the results shown");
    chooser.setInitialFileName("tessera-results." + format);
    chooser
        .getExtensionFilters()
        .add(new FileChooser.ExtensionFilter(format.toUpperCase(Locale.ROOT), "*." + format));
    File file = chooser.showSaveDialog(root.getScene().getWindow());
    if (file != null) {
      model
          .export(file.toPath())
          .whenComplete(
              (rows, failure) ->
                  tasks.onUi(
                      () -> {
                        if (failure != null) {
                          notifications.error("Export failed", failure);
                        } else {
                          notifications.success("Exported " + rows + " results", file.toString());
                        }
                      }));
    }
  }

  private Node filterPanel() {
    ComboBox<Path> folder = new ComboBox<>(model.folders());
    folder.setId("filter-folder");
    folder.setPromptText("Any folder");
    folder.setMaxWidth(Double.MAX_VALUE);
    folder.valueProperty().bindBidirectional(model.folderProperty());
    TextField pattern = new TextField();
    pattern.setId("filter-pattern");
    pattern.setPromptText("e.g. *.png or **/holidays/**");
    pattern.textProperty().bindBidirectional(model.pathPatternProperty());
    DatePicker from = new DatePicker();
    from.setId("filter-from");
    from.setPromptText("From");
    from.valueProperty().bindBidirectional(model.fromProperty());
    DatePicker to = new DatePicker();
    to.setId("filter-to");
    to.setPromptText("To");
    to.valueProperty().bindBidirectional(model.toProperty());
    ComboBox<String> label = new ComboBox<>(model.labels());
    label.setId("filter-label");
    label.setEditable(true);
    label.setPromptText("Any label");
    label.setMaxWidth(Double.MAX_VALUE);
    label.valueProperty().bindBidirectional(model.labelProperty());
    Button clear = new Button("Clear filters", new FontIcon(Feather.X_CIRCLE));
    clear.setId("clear-filters");
    clear.setOnAction(e -> model.clearFilters());
    Label title = new Label("Filters");
    title.getStyleClass().add("title-4");
    VBox panel =
        new VBox(
            8,
            title,
            field("Folder", folder),
            field("Path pattern", pattern),
            field("Date", new VBox(4, from, to)),
            field("Label", label),
            clear);
    panel.setId("filters");
    panel.getStyleClass().add("filters");
    panel.setPrefWidth(240);
    panel.setMinWidth(240);
    return panel;
  }

  private static Node field(String name, Node control) {
    Label label = new Label(name);
    label.getStyleClass().add("fact-name");
    return new VBox(3, label, control);
  }

  private void acceptDroppedImages(Node target) {
    target.setOnDragOver(
        event -> {
          if (event.getDragboard().hasFiles()) {
            event.acceptTransferModes(TransferMode.COPY);
          }
          event.consume();
        });
    target.setOnDragDropped(
        event -> {
          boolean accepted = false;
          if (event.getDragboard().hasFiles()) {
            accepted = drop(event.getDragboard().getFiles());
          }
          event.setDropCompleted(accepted);
          event.consume();
        });
  }

  /** Files dropped on the page: the first one is the query image. */
  public boolean drop(List<File> files) {
    if (files.isEmpty()) {
      return false;
    }
    model.useImage(new QueryImage.File(files.getFirst().toPath()));
    return true;
  }

  /** The score, and the Hamming distance when the result has one (not when found by words). */
  static String scoreText(ResultCard card) {
    String score = String.format(Locale.ROOT, "%.0f%%", card.score() * 100);
    return card.distance() < 0 ? score : score + " · d=" + card.distance();
  }

  /** A caption with its image's thumbnail, the image's name, score and why it matched. */
  private final class CaptionCell extends ListCell<ResultCard> {
    static final double HEIGHT = 74;
    private final ImageView thumbnail = new ImageView();
    private final Label text = new Label();
    private final Label meta = new Label();
    private final HBox box;
    private ResultCard card;

    CaptionCell() {
      thumbnail.setFitWidth(56);
      thumbnail.setFitHeight(56);
      thumbnail.setPreserveRatio(true);
      StackPane frame = new StackPane(thumbnail);
      frame.setMinSize(56, 56);
      frame.setPrefSize(56, 56);
      frame.getStyleClass().add("tile-image");
      text.setWrapText(true);
      text.setMaxHeight(36); // two lines, then "…" (the preview shows it whole)
      text.getStyleClass().add("caption-text");
      meta.getStyleClass().add("score");
      VBox words = new VBox(2, text, meta);
      HBox.setHgrow(words, Priority.ALWAYS);
      words.setMinWidth(0);
      box = new HBox(10, frame, words);
      box.setAlignment(Pos.CENTER_LEFT);
      setPrefWidth(0);
    }

    @Override
    protected void updateItem(ResultCard shown, boolean empty) {
      super.updateItem(shown, empty);
      card = shown;
      if (empty || shown == null) {
        setGraphic(null);
        setTooltip(null);
        return;
      }
      text.setText(shown.caption());
      meta.setText(shown.fileName() + " · " + scoreText(shown));
      setTooltip(new Tooltip(shown.why()));
      thumbnail.setImage(
          model
              .thumbnails()
              .get(
                  shown.itemId(),
                  loaded -> {
                    if (card == shown) {
                      thumbnail.setImage(loaded);
                    }
                  }));
      setGraphic(box);
    }
  }
}

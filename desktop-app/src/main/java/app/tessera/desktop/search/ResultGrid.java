package app.tessera.desktop.search;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.image.ImageView;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The image results as a virtualised grid: a {@link ListView} of rows, each row as many tiles as
 * the width allows, so only the rows on screen exist as nodes (100k results are 100k list entries
 * and a few dozen tiles). One tile is selected: arrow keys, Home/End and Page Up/Down move it,
 * Enter or Space opens the preview, as does a double-click; a right-click opens the context menu.
 */
final class ResultGrid {
  static final double TILE_GAP = 10;
  private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

  private final ObservableList<ResultCard> items;
  private final Thumbnails thumbnails;
  private final ListView<Integer> rows = new ListView<>();
  private final IntegerProperty columns = new SimpleIntegerProperty(1);
  private final IntegerProperty selected = new SimpleIntegerProperty(-1);
  private IntConsumer onOpen = i -> {};
  private BiConsumer<Integer, ContextMenuEvent> onMenu = (i, e) -> {};

  /** The width of a tile, in pixels (the Settings page's thumbnail size). */
  private final ReadOnlyIntegerProperty tileWidth;

  ResultGrid(
      ObservableList<ResultCard> items, Thumbnails thumbnails, ReadOnlyIntegerProperty tileWidth) {
    this.items = items;
    this.thumbnails = thumbnails;
    this.tileWidth = tileWidth;
    rows.setId("image-results");
    rows.getStyleClass().add("result-grid");
    rows.setCellFactory(list -> new RowCell());
    rows.setFixedCellSize(tileWidth.get() + 44);
    rows.widthProperty().addListener((obs, old, width) -> fitColumns());
    tileWidth.addListener(
        (obs, old, now) -> {
          rows.setFixedCellSize(now.intValue() + 44);
          fitColumns();
          rows.refresh(); // the rows build their tiles again at the new size
        });
    items.addListener(
        (ListChangeListener<ResultCard>)
            change -> {
              selected.set(items.isEmpty() ? -1 : 0);
              layoutRows();
              rows.scrollTo(0);
            });
    selected.addListener((obs, old, now) -> rows.refresh());
    rows.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
  }

  ListView<Integer> node() {
    return rows;
  }

  IntegerProperty selectedProperty() {
    return selected;
  }

  /** Called with the index to preview (Enter, Space, double-click). */
  void setOnOpen(IntConsumer open) {
    this.onOpen = open;
  }

  /** Called with the index and the mouse event of a right-click (after selecting it). */
  void setOnMenu(BiConsumer<Integer, ContextMenuEvent> menu) {
    this.onMenu = menu;
  }

  int columns() {
    return columns.get();
  }

  /** Selects {@code index} and scrolls its row into view. */
  void select(int index) {
    if (items.isEmpty()) {
      return;
    }
    int at = Math.clamp(index, 0, items.size() - 1);
    selected.set(at);
    VirtualFlow<?> flow = (VirtualFlow<?>) rows.lookup(".virtual-flow");
    if (flow != null) {
      flow.scrollTo(at / columns.get());
    }
  }

  /** As many columns as the width holds at the tile size. */
  private void fitColumns() {
    int fit = (int) Math.max(1, (rows.getWidth() - 24) / (tileWidth.get() + TILE_GAP));
    if (fit != columns.get()) {
      columns.set(fit);
      layoutRows();
    }
  }

  private void layoutRows() {
    int n = (items.size() + columns.get() - 1) / columns.get();
    rows.getItems().setAll(IntStream.range(0, n).boxed().toList());
  }

  private void key(KeyEvent e) {
    int at = Math.max(0, selected.get());
    int cols = columns.get();
    int page = Math.max(1, (int) (rows.getHeight() / rows.getFixedCellSize())) * cols;
    switch (e.getCode()) {
      case LEFT -> select(at - 1);
      case RIGHT -> select(at + 1);
      case UP -> select(at - cols);
      case DOWN -> select(at + cols);
      case PAGE_UP -> select(at - page);
      case PAGE_DOWN -> select(at + page);
      case HOME -> select(0);
      case END -> select(items.size() - 1);
      case ENTER, SPACE -> {
        if (selected.get() >= 0) {
          onOpen.accept(selected.get());
        }
      }
      default -> {
        return; // leave other keys (Ctrl+F, Esc, …) alone
      }
    }
    e.consume();
  }

  /** One row of tiles; its tiles are reused as the row is scrolled to other results. */
  private final class RowCell extends ListCell<Integer> {
    private final HBox box = new HBox(TILE_GAP);
    private int tilesWidth = tileWidth.get();

    RowCell() {
      box.setAlignment(Pos.TOP_CENTER); // the space a tile does not fill is shared at both sides
      getStyleClass().add("result-row");
    }

    @Override
    protected void updateItem(Integer row, boolean empty) {
      super.updateItem(row, empty);
      if (empty || row == null) {
        setGraphic(null);
        return;
      }
      int cols = columns.get();
      if (tilesWidth != tileWidth.get()) {
        box.getChildren().clear(); // built for another size
        tilesWidth = tileWidth.get();
      }
      while (box.getChildren().size() < cols) {
        box.getChildren().add(new Tile());
      }
      box.getChildren().remove(cols, box.getChildren().size());
      for (int c = 0; c < cols; c++) {
        int index = row * cols + c;
        ((Tile) box.getChildren().get(c)).show(index < items.size() ? index : -1);
      }
      setGraphic(box);
    }
  }

  /** A thumbnail with its caption, score and why. */
  private final class Tile extends VBox {
    private final ImageView image = new ImageView();
    private final Label caption = new Label();
    private final Label score = new Label();
    private final Tooltip tooltip = new Tooltip();
    private int index = -1;
    private ResultCard card;

    Tile() {
      super(4);
      double width = tileWidth.get();
      getStyleClass().add("tile");
      image.setFitWidth(width - 16);
      image.setFitHeight(width - 40);
      image.setPreserveRatio(true);
      StackPane frame = new StackPane(image);
      frame.getStyleClass().add("tile-image");
      frame.setPrefSize(width - 16, width - 40);
      frame.setMinSize(width - 16, width - 40);
      caption.getStyleClass().add("tile-caption");
      caption.setMaxWidth(width - 16);
      score.getStyleClass().add("score");
      tooltip.setWrapText(true);
      tooltip.setMaxWidth(360);
      getChildren().addAll(frame, caption, score);
      setPrefWidth(width);
      setMinWidth(width);
      setMaxWidth(width);
      setOnMouseClicked(
          e -> {
            if (index < 0) {
              return;
            }
            rows.requestFocus();
            selected.set(index);
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
              onOpen.accept(index);
            }
          });
      setOnContextMenuRequested(
          e -> {
            if (index >= 0) {
              selected.set(index);
              onMenu.accept(index, e);
              e.consume();
            }
          });
    }

    void show(int at) {
      index = at;
      if (at < 0) {
        card = null;
        setVisible(false);
        return;
      }
      setVisible(true);
      ResultCard shown = items.get(at);
      pseudoClassStateChanged(SELECTED, at == selected.get());
      if (shown == card) {
        return;
      }
      card = shown;
      caption.setText(shown.caption() == null ? shown.fileName() : shown.caption());
      score.setText(SearchView.scoreText(shown));
      tooltip.setText(shown.fileName() + "\n" + shown.why());
      Tooltip.install(this, tooltip);
      image.setImage(
          thumbnails.get(
              shown.itemId(),
              loaded -> {
                if (card == shown) {
                  image.setImage(loaded);
                }
              }));
    }
  }
}

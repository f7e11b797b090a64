package app.tessera.desktop.search;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.controlsfx.control.SegmentedButton;

/**
 * The search page: a query bar (text, a dropped or chosen image, images or captions) above a grid
 * of thumbnails or a list of captions.
 */
public final class SearchView {
  private final SearchViewModel model;
  private final VBox root;

  public SearchView(SearchViewModel model, Node heading) {
    this.model = model;

    TextField query = new TextField();
    query.setId("query");
    query.setPromptText("Describe what you are looking for, or drop an image here");
    query.textProperty().bindBidirectional(model.textProperty());
    query.setOnAction(e -> model.search());
    HBox.setHgrow(query, Priority.ALWAYS);

    Button chooseImage = new Button("Image…");
    chooseImage.setId("choose-image");
    chooseImage.setOnAction(e -> chooseImage(chooseImage));

    Label imageChip = new Label();
    imageChip.setId("query-image");
    imageChip.getStyleClass().add("chip");
    imageChip
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    model.imageProperty().get() == null
                        ? ""
                        : "🖼 " + model.imageProperty().get().getFileName() + "  ✕",
                model.imageProperty()));
    imageChip.visibleProperty().bind(model.imageProperty().isNotNull());
    imageChip.managedProperty().bind(imageChip.visibleProperty());
    imageChip.setOnMouseClicked(e -> model.imageProperty().set(null));

    ToggleButton images = new ToggleButton("Images");
    images.setId("target-images");
    images.setUserData(SearchQuery.Target.IMAGES);
    ToggleButton captions = new ToggleButton("Captions");
    captions.setId("target-captions");
    captions.setUserData(SearchQuery.Target.CAPTIONS);
    SegmentedButton targets = new SegmentedButton(images, captions);
    images.setSelected(true);
    targets
        .getToggleGroup()
        .selectedToggleProperty()
        .addListener(
            (obs, old, now) -> {
              if (now == null) {
                old.setSelected(true); // one target is always selected
              } else {
                model.targetProperty().set((SearchQuery.Target) now.getUserData());
              }
            });

    Button search = new Button("Search");
    search.setId("search");
    search.setDefaultButton(true);
    search.disableProperty().bind(model.busyProperty());
    search.setOnAction(e -> model.search());

    HBox bar = new HBox(8, query, imageChip, chooseImage, targets, search);
    bar.setAlignment(Pos.CENTER_LEFT);

    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setMaxSize(18, 18);
    spinner.visibleProperty().bind(model.busyProperty());
    Label status = new Label();
    status.setId("search-status");
    status.textProperty().bind(model.statusProperty());
    HBox statusLine = new HBox(6, spinner, status);
    statusLine.setAlignment(Pos.CENTER_LEFT);

    StackPane results = new StackPane(imageGrid(), captionList());
    results.setId("results");
    VBox.setVgrow(results, Priority.ALWAYS);

    root = new VBox(12, heading, bar, statusLine, results);
    root.setId("page-search");
    root.setPadding(new Insets(16));
    acceptDroppedImages(root);
  }

  public Node root() {
    return root;
  }

  private Node imageGrid() {
    GridView<ResultCard> grid = new GridView<>(model.results());
    grid.setId("image-results");
    grid.setCellWidth(170);
    grid.setCellHeight(200);
    grid.setCellFactory(view -> new ThumbnailCell());
    grid.visibleProperty().bind(model.targetProperty().isEqualTo(SearchQuery.Target.IMAGES));
    return grid;
  }

  private Node captionList() {
    ListView<ResultCard> list = new ListView<>(model.results());
    list.setId("caption-results");
    list.setCellFactory(
        view ->
            new ListCell<>() {
              @Override
              protected void updateItem(ResultCard card, boolean empty) {
                super.updateItem(card, empty);
                setText(empty || card == null ? null : card.caption() + "   " + scoreText(card));
              }
            });
    list.visibleProperty().bind(model.targetProperty().isEqualTo(SearchQuery.Target.CAPTIONS));
    return list;
  }

  private void chooseImage(Node owner) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Search with an image");
    chooser
        .getExtensionFilters()
        .add(
            new FileChooser.ExtensionFilter(
                "Images", "*.jpg", "*.jpeg", "*.png", "*.gif", "*.bmp", "*.webp", "*.tif",
                "*.tiff"));
    File file = chooser.showOpenDialog(owner.getScene().getWindow());
    if (file != null) {
      model.imageProperty().set(file.toPath());
      model.search();
    }
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
          if (event.getDragboard().hasFiles() && !event.getDragboard().getFiles().isEmpty()) {
            Path dropped = event.getDragboard().getFiles().getFirst().toPath();
            model.imageProperty().set(dropped);
            model.search();
            accepted = true;
          }
          event.setDropCompleted(accepted);
          event.consume();
        });
  }

  static String scoreText(ResultCard card) {
    String distance = card.distance() < 0 ? "" : "d=" + card.distance() + " · ";
    String why = card.matched().isEmpty() ? "" : " · " + String.join(", ", card.matched());
    return String.format(Locale.ROOT, "%s%.2f%s", distance, card.score(), why);
  }

  /** A thumbnail with its caption and distance. */
  private static final class ThumbnailCell extends GridCell<ResultCard> {
    private final ImageView image = new ImageView();
    private final Label caption = new Label();
    private final Label score = new Label();
    private final VBox box = new VBox(4, image, caption, score);

    ThumbnailCell() {
      image.setFitWidth(160);
      image.setFitHeight(140);
      image.setPreserveRatio(true);
      caption.setWrapText(true);
      caption.setMaxHeight(34);
      score.getStyleClass().add("score");
      box.setAlignment(Pos.TOP_CENTER);
    }

    @Override
    protected void updateItem(ResultCard card, boolean empty) {
      super.updateItem(card, empty);
      if (empty || card == null) {
        setGraphic(null);
        return;
      }
      image.setImage(
          card.thumbnail() == null
              ? null
              : new Image(new ByteArrayInputStream(card.thumbnail()), 160, 140, true, true));
      caption.setText(
          card.caption() == null ? card.path().getFileName().toString() : card.caption());
      score.setText(scoreText(card));
      setGraphic(box);
    }
  }
}

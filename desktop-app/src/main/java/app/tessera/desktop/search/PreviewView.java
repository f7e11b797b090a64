package app.tessera.desktop.search;

import app.tessera.engine.api.ItemDetails;
import java.nio.file.Files;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The preview over the search results (not a separate window): the image large, and beside it all
 * its captions with their source, labels, path, size, date and attributes. Left/Right (or Up/Down)
 * step through the results, Esc closes.
 */
final class PreviewView {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private final PreviewModel model;
  private final Thumbnails thumbnails;
  private final StackPane root = new StackPane();
  private final ImageView image = new ImageView();
  private final Label title = new Label();
  private final Label position = new Label();
  private final VBox facts = new VBox(10);
  private final Button previous = new Button(null, new FontIcon(Feather.CHEVRON_LEFT));
  private final Button next = new Button(null, new FontIcon(Feather.CHEVRON_RIGHT));

  PreviewView(PreviewModel model, Thumbnails thumbnails) {
    this.model = model;
    this.thumbnails = thumbnails;
    root.setId("preview");
    root.getStyleClass().add("preview");
    root.visibleProperty().bind(model.showingProperty());
    root.setFocusTraversable(true);

    title.getStyleClass().add("preview-title");
    title.setId("preview-title");
    position.getStyleClass().add("preview-position");
    position.setId("preview-position");
    previous.setId("preview-previous");
    previous.setTooltip(new Tooltip("Previous result (Left)"));
    previous.setOnAction(e -> model.previous());
    next.setId("preview-next");
    next.setTooltip(new Tooltip("Next result (Right)"));
    next.setOnAction(e -> model.next());
    Button close = new Button(null, new FontIcon(Feather.X));
    close.setId("preview-close");
    close.setTooltip(new Tooltip("Close (Esc)"));
    close.setOnAction(e -> model.close());
    for (Button b : new Button[] {previous, next, close}) {
      b.getStyleClass().addAll("button-icon", "flat");
      b.setFocusTraversable(false);
    }
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox bar = new HBox(8, title, grow, position, previous, next, close);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("preview-bar");

    image.setPreserveRatio(true);
    image.setSmooth(true);
    StackPane picture = new StackPane(image);
    picture.getStyleClass().add("preview-image");
    picture.setMinSize(0, 0);
    image.fitWidthProperty().bind(picture.widthProperty().subtract(24));
    image.fitHeightProperty().bind(picture.heightProperty().subtract(24));

    ScrollPane side = new ScrollPane(facts);
    side.setFitToWidth(true);
    side.setPrefWidth(360);
    side.setMinWidth(300);
    side.getStyleClass().add("preview-facts");
    facts.setPadding(new Insets(12));

    BorderPane panel = new BorderPane(picture, bar, side, null, null);
    panel.getStyleClass().add("preview-panel");
    root.getChildren().add(panel);
    StackPane.setMargin(panel, new Insets(12));

    root.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
    model.cardProperty().addListener((obs, old, card) -> showCard(card));
    model.detailsProperty().addListener((obs, old, details) -> showFacts());
    model.problemProperty().addListener((obs, old, problem) -> showFacts());
    model
        .showingProperty()
        .addListener(
            (obs, was, showing) -> {
              if (showing) {
                root.requestFocus();
              }
            });
  }

  Node root() {
    return root;
  }

  private void key(KeyEvent e) {
    switch (e.getCode()) {
      case LEFT, UP -> model.previous();
      case RIGHT, DOWN, SPACE -> model.next();
      case ESCAPE -> model.close();
      default -> {
        return;
      }
    }
    e.consume();
  }

  private void showCard(ResultCard card) {
    if (card == null) {
      return;
    }
    title.setText(card.fileName());
    position.setText((model.indexProperty().get() + 1) + " of " + model.size());
    previous.setDisable(!model.hasPrevious());
    next.setDisable(!model.hasNext());
    // The thumbnail at once, then the file itself at full size, loaded in the background.
    image.setImage(
        thumbnails.get(
            card.itemId(),
            loaded -> {
              if (model.cardProperty().get() == card && image.getImage() == null) {
                image.setImage(loaded);
              }
            }));
    if (card.path() != null && Files.isReadable(card.path())) {
      Image full = new Image(card.path().toUri().toString(), true);
      full.progressProperty()
          .addListener(
              (obs, old, done) -> {
                if (done.doubleValue() >= 1
                    && !full.isError()
                    && model.cardProperty().get() == card) {
                  image.setImage(full);
                }
              });
    }
    showFacts();
  }

  private void showFacts() {
    facts.getChildren().clear();
    ResultCard card = model.cardProperty().get();
    if (card == null) {
      return;
    }
    facts.getChildren().add(fact("Why it matched", wrapped(card.why())));
    if (card.isCaption()) {
      facts.getChildren().add(fact("Matched caption", wrapped(card.caption())));
    }
    ItemDetails d = model.detailsProperty().get();
    if (d == null) {
      String problem = model.problemProperty().get();
      facts.getChildren().add(new Label(problem.isEmpty() ? "Loading details…" : problem));
      return;
    }
    VBox captions = new VBox(6);
    captions.setId("preview-captions");
    if (d.captions().isEmpty()) {
      captions.getChildren().add(muted("No caption yet."));
    }
    for (ItemDetails.Caption c : d.captions()) {
      Label source = new Label(c.field() == null ? c.source() : c.source() + " · " + c.field());
      source.getStyleClass().add("chip");
      captions.getChildren().add(new VBox(2, wrapped(c.text()), source));
    }
    facts.getChildren().add(fact("Captions (" + d.captions().size() + ")", captions));
    FlowPane labels = new FlowPane(6, 6);
    labels.setId("preview-labels");
    for (ItemDetails.Label l : d.labels()) {
      Label chip = new Label(l.name());
      chip.getStyleClass().add("chip");
      chip.setTooltip(new Tooltip("from " + l.source()));
      labels.getChildren().add(chip);
    }
    if (d.labels().isEmpty()) {
      labels.getChildren().add(muted("No labels."));
    }
    facts.getChildren().add(fact("Labels", labels));
    Label path = wrapped(d.path() == null ? "(no file)" : d.path().toString());
    path.setId("preview-path");
    facts.getChildren().add(fact("File" + (d.online() ? "" : " (offline)"), path));
    NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
    facts
        .getChildren()
        .add(
            fact(
                "Image",
                new Label(
                    d.format().toUpperCase(Locale.ROOT)
                        + " · "
                        + d.width()
                        + " × "
                        + d.height()
                        + " · "
                        + size(d.byteSize()))));
    if (d.date() != null) {
      facts.getChildren().add(fact("Date", new Label(DATE.format(d.date()))));
    }
    if (d.files().size() > 1) {
      facts
          .getChildren()
          .add(
              fact(
                  "Copies (" + n.format(d.files().size()) + ")",
                  wrapped(
                      d.files().stream()
                          .map(f -> f.path() + " (" + f.presence() + ")")
                          .collect(Collectors.joining("\n")))));
    }
    if (!d.attributes().isEmpty()) {
      facts
          .getChildren()
          .add(
              fact(
                  "Metadata",
                  wrapped(
                      d.attributes().entrySet().stream()
                          .sorted(Map.Entry.comparingByKey())
                          .map(e -> e.getKey() + ": " + e.getValue())
                          .collect(Collectors.joining("\n")))));
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }

  private static Node fact(String name, Node value) {
    Label heading = new Label(name);
    heading.getStyleClass().add("fact-name");
    return new VBox(3, heading, value);
  }

  private static Label wrapped(String text) {
    Label label = new Label(text);
    label.setWrapText(true);
    return label;
  }

  private static Label muted(String text) {
    Label label = new Label(text);
    label.getStyleClass().add("text-muted");
    return label;
  }
}

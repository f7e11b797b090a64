package app.tessera.desktop.shell;

import app.tessera.desktop.shell.Notifications.Level;
import app.tessera.desktop.shell.Notifications.Notice;
import java.util.HashMap;
import java.util.Map;
import javafx.animation.PauseTransition;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The notices of {@link Notifications}, stacked in the window's bottom-right corner over the page
 * (clicks elsewhere pass through). Each has a close button; a failure has "Details", which unfolds
 * its stack trace in place (selectable, with "Copy"). Information fades after a few seconds.
 */
public final class NotificationsView {
  /** How long a notice that is not a warning or an error stays. */
  static final Duration FADE_AFTER = Duration.seconds(6);

  private final VBox root = new VBox(8);
  private final Notifications notifications;
  private final Map<Notice, Node> cards = new HashMap<>();

  public NotificationsView(Notifications notifications) {
    this.notifications = notifications;
    root.setId("notifications");
    root.setAlignment(Pos.BOTTOM_RIGHT);
    root.setPadding(new Insets(16));
    root.setPickOnBounds(false);
    root.setMaxWidth(Region.USE_PREF_SIZE);
    root.setMaxHeight(Region.USE_PREF_SIZE);
    notifications.shown().addListener((ListChangeListener<Notice>) change -> sync());
    sync();
  }

  public Node root() {
    return root;
  }

  private void sync() {
    cards.keySet().retainAll(notifications.shown());
    root.getChildren().setAll(notifications.shown().stream().map(this::card).toList());
  }

  private Node card(Notice notice) {
    return cards.computeIfAbsent(notice, this::newCard);
  }

  private Node newCard(Notice notice) {
    FontIcon icon = new FontIcon(icon(notice.level()));
    icon.getStyleClass().add("notice-icon");
    Label title = new Label(notice.title());
    title.getStyleClass().add("notice-title");
    Label message = new Label(notice.message());
    message.getStyleClass().add("notice-message");
    message.setWrapText(true);
    message.setVisible(notice.message() != null && !notice.message().isBlank());
    message.setManaged(message.isVisible());
    Button close = new Button(null, new FontIcon(Feather.X));
    close.getStyleClass().addAll("flat", "notice-close");
    close.setTooltip(new Tooltip("Close"));
    close.setOnAction(e -> notifications.dismiss(notice));
    HBox header = new HBox(8, icon, title, spacer(), close);
    header.setAlignment(Pos.CENTER_LEFT);

    VBox card = new VBox(4, header, message);
    card.getStyleClass().addAll("notice", "notice-" + notice.level().name().toLowerCase());
    card.setPrefWidth(380);
    card.setMaxWidth(380);

    if (notice.hasDetails()) {
      TextArea details = new TextArea(notice.details());
      details.setId("notice-details");
      details.setEditable(false);
      details.setPrefRowCount(10);
      details.getStyleClass().add("notice-details");
      details.setVisible(false);
      details.setManaged(false);
      ToggleButton show = new ToggleButton("Details");
      show.setId("notice-show-details");
      show.getStyleClass().add("small");
      details.visibleProperty().bind(show.selectedProperty());
      details.managedProperty().bind(show.selectedProperty());
      Button copy = new Button("Copy details");
      copy.getStyleClass().add("small");
      copy.visibleProperty().bind(show.selectedProperty());
      copy.setOnAction(
          e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(notice.title() + ": " + notice.message() + "\n\n" + notice.details());
            Clipboard.getSystemClipboard().setContent(content);
          });
      HBox actions = new HBox(6, show, copy);
      card.getChildren().addAll(actions, details);
    }
    if (notice.level() == Level.INFO || notice.level() == Level.SUCCESS) {
      PauseTransition fade = new PauseTransition(FADE_AFTER);
      fade.setOnFinished(e -> notifications.dismiss(notice));
      card.hoverProperty()
          .addListener(
              (obs, was, hovered) -> {
                if (hovered) {
                  fade.stop();
                } else {
                  fade.playFromStart();
                }
              });
      fade.play();
    }
    return card;
  }

  private static Region spacer() {
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    return spacer;
  }

  private static Feather icon(Level level) {
    return switch (level) {
      case INFO -> Feather.INFO;
      case SUCCESS -> Feather.CHECK_CIRCLE;
      case WARNING -> Feather.ALERT_TRIANGLE;
      case ERROR -> Feather.ALERT_OCTAGON;
    };
  }
}

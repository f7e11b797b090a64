package app.tessera.desktop.shell;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** What an empty list or page shows: an icon, what is (not) there, and what to do next. */
public final class EmptyState {
  private EmptyState() {}

  public static VBox of(Ikon icon, String title, String next) {
    FontIcon graphic = new FontIcon(icon);
    graphic.getStyleClass().add("empty-state-icon");
    Label heading = new Label(title);
    heading.getStyleClass().add("empty-state-title");
    Label hint = new Label(next);
    hint.getStyleClass().add("empty-state-hint");
    hint.setWrapText(true);
    hint.setMaxWidth(420);
    VBox box = new VBox(8, graphic, heading, hint);
    box.getStyleClass().add("empty-state");
    box.setAlignment(Pos.CENTER);
    box.setFillWidth(false);
    return box;
  }

  /** Changes the texts of a box made by {@link #of}. */
  public static void say(Node box, String title, String next) {
    VBox v = (VBox) box;
    ((Label) v.getChildren().get(1)).setText(title);
    ((Label) v.getChildren().get(2)).setText(next);
  }
}

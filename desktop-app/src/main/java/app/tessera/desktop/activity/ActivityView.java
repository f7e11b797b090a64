package app.tessera.desktop.activity;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The activity page: the session's log, following the newest entry. */
public final class ActivityView {
  private final VBox root;

  public ActivityView(ActivityLog log, Node heading) {
    ListView<String> list = new ListView<>(log.entries());
    list.setId("activity");
    list.setPlaceholder(new Label("Nothing has happened yet."));
    log.entries()
        .addListener(
            (javafx.collections.ListChangeListener<String>)
                change -> list.scrollTo(log.entries().size() - 1));
    VBox.setVgrow(list, Priority.ALWAYS);
    root = new VBox(12, heading, list);
    root.setId("page-activity");
    root.setPadding(new Insets(16));
  }

  public Node root() {
    return root;
  }
}

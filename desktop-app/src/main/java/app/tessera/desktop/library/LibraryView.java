package app.tessera.desktop.library;

import app.tessera.desktop.Tables;
import app.tessera.engine.IndexReport;
import app.tessera.engine.api.Folder;
import java.io.File;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

/** The library page: root folders, an indexing job with progress, and what could not be read. */
public final class LibraryView {
  private final VBox root;

  public LibraryView(LibraryViewModel model, Node heading) {
    Button add = new Button("Add folder…");
    add.setId("add-folder");
    add.disableProperty().bind(model.runningProperty());
    add.setOnAction(
        e -> {
          DirectoryChooser chooser = new DirectoryChooser();
          chooser.setTitle("Add a folder to the library");
          File folder = chooser.showDialog(add.getScene().getWindow());
          if (folder != null) {
            model.index(List.of(folder.toPath()));
          }
        });
    Button rescan = new Button("Re-scan all");
    rescan.setId("rescan");
    rescan.disableProperty().bind(model.runningProperty());
    rescan.setOnAction(e -> model.index(List.of()));
    Button cancel = new Button("Cancel");
    cancel.setId("cancel-indexing");
    cancel.disableProperty().bind(model.runningProperty().not());
    cancel.setOnAction(e -> model.cancel());

    ProgressBar progress = new ProgressBar();
    progress.setId("indexing-progress");
    progress.progressProperty().bind(model.progressProperty());
    progress.visibleProperty().bind(model.runningProperty());
    progress.setPrefWidth(220);
    Label status = new Label();
    status.setId("library-status");
    status.textProperty().bind(model.statusProperty());
    HBox actions = new HBox(8, add, rescan, cancel, progress, status);
    actions.setAlignment(Pos.CENTER_LEFT);

    TableView<Folder> roots = new TableView<>(model.folders());
    roots.setId("roots");
    roots.setPlaceholder(new Label("No folders yet: add one to start."));
    roots.getColumns().add(Tables.textColumn("Folder", 520, f -> f.path().toString()));
    roots
        .getColumns()
        .add(Tables.textColumn("State", 90, f -> f.state().name().toLowerCase(Locale.ROOT)));
    roots.getColumns().add(Tables.textColumn("Files", 90, r -> Integer.toString(r.files())));
    roots.setPrefHeight(200);

    TableView<IndexReport.Failure> failures = new TableView<>(model.failures());
    failures.setId("failures");
    failures.setPlaceholder(new Label("Nothing failed."));
    failures.getColumns().add(Tables.textColumn("File", 420, IndexReport.Failure::path));
    failures.getColumns().add(Tables.textColumn("Why", 420, IndexReport.Failure::reason));
    VBox.setVgrow(failures, Priority.ALWAYS);

    root = new VBox(12, heading, actions, roots, new Label("Not indexed"), failures);
    root.setId("page-library");
    root.setPadding(new Insets(16));
  }

  public Node root() {
    return root;
  }
}

package app.tessera.desktop.library;

import app.tessera.desktop.Tables;
import app.tessera.desktop.shell.EmptyState;
import app.tessera.engine.IndexReport;
import app.tessera.engine.RootState;
import app.tessera.engine.api.Folder;
import java.io.File;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Library page: which library (open, create, switch), its folders with their state and counts,
 * the running job (progress, rate, time left, pause, cancel), the last job's summary, and the files
 * that could not be indexed with why. Folders are added with the chooser or by dropping them onto
 * the window; removing a folder and pruning ask first, with what will be forgotten.
 */
public final class LibraryView {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  private final LibraryViewModel model;
  private final VBox root;

  public LibraryView(LibraryViewModel model, LibrariesViewModel libraries, Node heading) {
    this.model = model;

    TableView<Folder> roots = foldersTable();
    HBox libraryRow = libraryRow(libraries);
    HBox toolbar = toolbar(roots);
    HBox job = jobRow();

    Label failuresTitle = new Label("Not indexed");
    failuresTitle.getStyleClass().add("section-title");
    TableView<IndexReport.Failure> failures = new TableView<>(model.failures());
    failures.setId("failures");
    failures.setPlaceholder(
        EmptyState.of(
            Feather.CHECK_CIRCLE,
            "Nothing failed",
            "Files Tessera cannot read are listed here with why, until they are fixed."));
    failures.getColumns().add(Tables.textColumn("File", 460, IndexReport.Failure::path));
    failures.getColumns().add(Tables.textColumn("Why", 420, IndexReport.Failure::reason));
    failures.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    VBox.setVgrow(roots, Priority.ALWAYS);
    VBox.setVgrow(failures, Priority.ALWAYS);

    root = new VBox(12, heading, libraryRow, toolbar, job, roots, failuresTitle, failures);
    root.setId("page-library");
    root.setPadding(new Insets(16));
  }

  public Node root() {
    return root;
  }

  private HBox libraryRow(LibrariesViewModel libraries) {
    Label label = new Label("Library");
    label.getStyleClass().add("field-label");
    ComboBox<Path> choice = new ComboBox<>(libraries.recent());
    choice.setId("library-choice");
    choice.setTooltip(new Tooltip("The libraries used lately; choose one to switch to it."));
    choice.setCellFactory(list -> new LibraryCell());
    choice.setButtonCell(new LibraryCell());
    choice.setValue(libraries.currentProperty().get());
    libraries.currentProperty().addListener((obs, old, now) -> choice.setValue(now));
    choice.setOnAction(
        e -> {
          if (choice.getValue() != null) {
            libraries.open(choice.getValue());
          }
        });
    choice.disableProperty().bind(libraries.switchingProperty().or(model.runningProperty()));
    choice.setPrefWidth(360);
    choice.setMaxWidth(Double.MAX_VALUE); // the whole path when the window has room
    HBox.setHgrow(choice, Priority.ALWAYS);

    Button open = button("Open…", "open-library", Feather.FOLDER, "Open another library file.");
    open.setOnAction(
        e -> {
          FileChooser chooser = libraryChooser(libraries, "Open a library");
          File file = chooser.showOpenDialog(window());
          if (file != null) {
            libraries.open(file.toPath());
          }
        });
    Button create =
        button(
            "New…", "new-library", Feather.PLUS_SQUARE, "Create an empty library in a new file.");
    create.setOnAction(
        e -> {
          FileChooser chooser = libraryChooser(libraries, "Create a library");
          chooser.setInitialFileName("library.sqlite");
          File folder = libraries.folderProperty().get().toFile();
          if (folder.isDirectory()) {
            chooser.setInitialDirectory(folder);
          }
          File file = chooser.showSaveDialog(window());
          if (file != null) {
            libraries.create(file.toPath());
          }
        });
    open.disableProperty().bind(choice.disableProperty());
    create.disableProperty().bind(choice.disableProperty());
    HBox row = new HBox(8, label, choice, open, create);
    row.setAlignment(Pos.CENTER_LEFT);
    return row;
  }

  private static FileChooser libraryChooser(LibrariesViewModel libraries, String title) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle(title);
    chooser
        .getExtensionFilters()
        .add(new FileChooser.ExtensionFilter("Tessera libraries", "*.sqlite"));
    Path current = libraries.currentProperty().get();
    if (current != null && current.getParent() != null) {
      chooser.setInitialDirectory(current.getParent().toFile());
    }
    return chooser;
  }

  private HBox toolbar(TableView<Folder> roots) {
    Button add =
        button(
            "Add folder…",
            "add-folder",
            Feather.FOLDER_PLUS,
            "Index a photo folder (or drop one onto the window).");
    add.setOnAction(
        e -> {
          DirectoryChooser chooser = new DirectoryChooser();
          chooser.setTitle("Add a folder to the library");
          File folder = chooser.showDialog(window());
          if (folder != null) {
            model.index(List.of(folder.toPath()));
          }
        });
    Button rescan =
        button(
            "Re-scan all",
            "rescan",
            Feather.REFRESH_CW,
            "Look for new, changed, moved and missing files in every folder.");
    rescan.setOnAction(e -> model.index(List.of()));
    Button importCsv =
        button(
            "Import captions…",
            "import-captions",
            Feather.FILE_TEXT,
            "Add captions and labels from a CSV file (image,caption,labels,…).");
    importCsv.setOnAction(
        e -> {
          FileChooser chooser = new FileChooser();
          chooser.setTitle("Import captions from a CSV file");
          chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
          File csv = chooser.showOpenDialog(window());
          if (csv != null) {
            model.importCaptions(csv.toPath());
          }
        });
    Button remove =
        button(
            "Remove folder",
            "remove-folder",
            Feather.TRASH_2,
            "Forget the selected folder and what only it holds; its files stay on disk.");
    remove.setOnAction(
        e -> {
          Folder folder = roots.getSelectionModel().getSelectedItem();
          if (folder != null && confirmRemove(folder)) {
            model.remove(folder);
          }
        });
    Button prune =
        button(
            "Prune missing…",
            "prune",
            Feather.SCISSORS,
            "Forget the files that vanished from their folders.");
    prune.setOnAction(
        e -> {
          if (confirmPrune(model.missingFiles())) {
            model.prune();
          }
        });

    add.disableProperty().bind(model.runningProperty());
    rescan.disableProperty().bind(model.runningProperty().or(Bindings.isEmpty(model.folders())));
    importCsv.disableProperty().bind(model.runningProperty());
    remove
        .disableProperty()
        .bind(
            model.runningProperty().or(roots.getSelectionModel().selectedItemProperty().isNull()));
    prune
        .disableProperty()
        .bind(
            model
                .runningProperty()
                .or(
                    Bindings.createBooleanBinding(
                        () -> model.missingFiles() == 0, model.folders())));
    HBox toolbar = new HBox(8, add, rescan, importCsv, new Region(), remove, prune);
    HBox.setHgrow(toolbar.getChildren().get(3), Priority.ALWAYS);
    toolbar.setId("library-toolbar");
    toolbar.setAlignment(Pos.CENTER_LEFT);
    return toolbar;
  }

  /** The running job: progress, phase and counts, rate and time left, pause, cancel. */
  private HBox jobRow() {
    ProgressBar progress = new ProgressBar();
    progress.setId("indexing-progress");
    progress.progressProperty().bind(model.progressProperty());
    progress.setPrefWidth(200);
    progress.setMinWidth(Region.USE_PREF_SIZE);
    progress.visibleProperty().bind(model.runningProperty());
    progress.managedProperty().bind(progress.visibleProperty());

    Label status = new Label();
    status.setId("library-status");
    status.textProperty().bind(model.statusProperty());
    status.setMinWidth(0);
    status.setWrapText(true);
    HBox.setHgrow(status, Priority.ALWAYS);
    status.setMaxWidth(Double.MAX_VALUE);

    Label rate = new Label();
    rate.setId("indexing-rate");
    rate.getStyleClass().add("job-rate");
    rate.textProperty().bind(model.rateProperty());
    rate.setMinWidth(Region.USE_PREF_SIZE);

    Button pause =
        button("Pause", "pause-indexing", Feather.PAUSE, "Pause after the current batch.");
    pause
        .textProperty()
        .bind(Bindings.when(model.pausedProperty()).then("Resume").otherwise("Pause"));
    pause
        .graphicProperty()
        .bind(
            Bindings.createObjectBinding(
                () -> new FontIcon(model.pausedProperty().get() ? Feather.PLAY : Feather.PAUSE),
                model.pausedProperty()));
    pause.setOnAction(
        e -> {
          if (model.pausedProperty().get()) {
            model.resume();
          } else {
            model.pause();
          }
        });
    Button cancel =
        button(
            "Cancel",
            "cancel-indexing",
            Feather.X,
            "Stop soon; what was done is kept, and the next run goes on from there.");
    cancel.setOnAction(e -> model.cancel());
    for (Button b : List.of(pause, cancel)) {
      b.visibleProperty().bind(model.runningProperty());
      b.managedProperty().bind(b.visibleProperty());
    }
    HBox row = new HBox(10, progress, status, rate, pause, cancel);
    row.setId("library-job");
    row.setAlignment(Pos.CENTER_LEFT);
    row.setMinHeight(Region.USE_PREF_SIZE);
    return row;
  }

  private TableView<Folder> foldersTable() {
    TableView<Folder> roots = new TableView<>(model.folders());
    roots.setId("roots");
    roots.setPlaceholder(
        EmptyState.of(
            Feather.FOLDER_PLUS,
            "No folders yet",
            "Add a photo folder with \"Add folder…\", or drop one onto the window. Tessera only"
                + " reads your files; it never changes, moves or deletes them."));
    NumberFormat number = NumberFormat.getIntegerInstance(Locale.ROOT);
    roots.getColumns().add(Tables.textColumn("Folder", 380, f -> f.path().toString()));
    roots
        .getColumns()
        .add(
            Tables.textColumn(
                "State", 80, f -> f.state() == RootState.ONLINE ? "online" : "offline"));
    roots.getColumns().add(Tables.textColumn("Files", 80, f -> number.format(f.files())));
    roots.getColumns().add(Tables.textColumn("Not indexed", 100, f -> number.format(f.failed())));
    roots.getColumns().add(Tables.textColumn("Missing", 80, f -> number.format(f.missing())));
    roots
        .getColumns()
        .add(
            Tables.textColumn(
                "Last scan", 150, f -> f.lastScan() == null ? "never" : WHEN.format(f.lastScan())));
    roots.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
    roots.setPrefHeight(180);
    return roots;
  }

  private boolean confirmRemove(Folder folder) {
    return confirm(
        "Remove folder",
        "Remove " + folder.path() + " from the library?",
        "Tessera forgets its "
            + NumberFormat.getIntegerInstance(Locale.ROOT).format(folder.files())
            + " files and the images only it holds, with their captions, labels and codes. The"
            + " folder and its files on disk are not touched; add it again at any time.",
        "Remove");
  }

  private boolean confirmPrune(int missing) {
    return confirm(
        "Prune missing files",
        "Forget " + missing + " missing files?",
        missing
            + " files vanished from their folders. Tessera forgets them and the images only they"
            + " held, with their captions, labels and codes. Files of offline folders are kept.",
        "Prune");
  }

  private boolean confirm(String title, String header, String text, String action) {
    ButtonType yes = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
    Alert alert = new Alert(Alert.AlertType.CONFIRMATION, text, yes, ButtonType.CANCEL);
    alert.setTitle(title);
    alert.setHeaderText(header);
    alert.initOwner(window());
    alert.getDialogPane().setMinWidth(480);
    Optional<ButtonType> answer = alert.showAndWait();
    return answer.isPresent() && answer.get() == yes;
  }

  private Window window() {
    return root.getScene() == null ? null : root.getScene().getWindow();
  }

  private static Button button(String text, String id, Feather icon, String tip) {
    Button button = new Button(text, new FontIcon(icon));
    button.setId(id);
    button.setTooltip(new Tooltip(tip));
    // Never shrunk to "Ad…" by a long line beside it.
    button.setMinWidth(Region.USE_PREF_SIZE);
    return button;
  }

  /** A library in the chooser: its file name, the folder beside it. */
  private static final class LibraryCell extends ListCell<Path> {
    @Override
    protected void updateItem(Path file, boolean empty) {
      super.updateItem(file, empty);
      if (empty || file == null) {
        setText(null);
        setTooltip(null);
      } else {
        Path parent = file.getParent();
        setText(file.getFileName() + (parent == null ? "" : "  —  " + parent));
        setTooltip(new Tooltip(file.toString()));
      }
    }
  }
}

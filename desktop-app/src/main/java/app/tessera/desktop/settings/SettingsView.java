package app.tessera.desktop.settings;

import app.tessera.desktop.library.LibrariesViewModel;
import app.tessera.desktop.shell.Theme;
import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Settings page: the look, where networks run (with what this machine has and why), indexing
 * threads, the size of result thumbnails, and where the library and Tessera's data live. Every
 * choice applies at once and is remembered.
 */
public final class SettingsView {
  private final VBox root;
  private final GridPane form = new GridPane();
  private int row;

  public SettingsView(
      SettingsViewModel model, Theme theme, LibrariesViewModel libraries, Node heading) {
    form.setHgap(16);
    form.setVgap(14);
    ColumnConstraints names = new ColumnConstraints();
    names.setMinWidth(170);
    names.setHalignment(HPos.RIGHT);
    ColumnConstraints values = new ColumnConstraints();
    values.setHgrow(Priority.ALWAYS);
    form.getColumnConstraints().addAll(names, values);

    section("Appearance");
    ToggleGroup looks = new ToggleGroup();
    HBox themes = new HBox(16);
    for (Theme.Mode mode : Theme.Mode.values()) {
      RadioButton choice = new RadioButton(mode.toString());
      choice.setId("theme-" + mode.name().toLowerCase(java.util.Locale.ROOT));
      choice.setToggleGroup(looks);
      choice.setSelected(theme.mode() == mode);
      choice.setOnAction(e -> theme.use(mode));
      theme.modeProperty().addListener((obs, old, now) -> choice.setSelected(now == mode));
      themes.getChildren().add(choice);
    }
    field("Theme", themes, null);

    section("Networks");
    ToggleGroup devices = new ToggleGroup();
    HBox choices = new HBox(16);
    for (Device device : Device.values()) {
      RadioButton choice = new RadioButton(SettingsViewModel.title(device));
      choice.setId("device-" + device.name().toLowerCase(java.util.Locale.ROOT));
      choice.setToggleGroup(devices);
      choice.setSelected(model.deviceProperty().get() == device);
      choice.setOnAction(e -> model.useDevice(device));
      model.deviceProperty().addListener((obs, old, now) -> choice.setSelected(now == device));
      if (device == Device.GPU) {
        choice.disableProperty().bind(model.gpuUsableProperty().not());
        Tooltip why = new Tooltip();
        why.textProperty().bind(model.whyProperty());
        choice.setTooltip(why);
      }
      choices.getChildren().add(choice);
    }
    field("Run encoders and training on", choices, null);
    Label runsOn = new Label();
    runsOn.setId("device-now");
    runsOn.setGraphic(new FontIcon(Feather.ZAP));
    runsOn
        .textProperty()
        .bind(Bindings.concat("Now: ", model.runsOnProperty(), " — ", model.whyProperty()));
    runsOn.setWrapText(true);
    runsOn.getStyleClass().add("setting-note");
    field(
        "",
        runsOn,
        "The GPU needs an NVIDIA driver and Tessera's CUDA runtime (tessera gpu install); the CPU"
            + " always works.");

    section("Indexing");
    Spinner<Integer> threads = new Spinner<>(1, model.cores(), model.threadsProperty().get());
    threads.setId("index-threads");
    threads.setEditable(true);
    threads.setPrefWidth(90);
    threads.valueProperty().addListener((obs, old, now) -> model.threadsProperty().set(now));
    field(
        "Reading threads",
        threads,
        "Threads that read and decode images while indexing (this machine has "
            + model.cores()
            + " cores); fewer leave more for other work.");

    section("Search results");
    Slider size =
        new Slider(
            SettingsViewModel.SMALLEST,
            SettingsViewModel.LARGEST,
            model.thumbnailSizeProperty().get());
    size.setId("thumbnail-size");
    size.setMajorTickUnit(32);
    size.setMinorTickCount(0);
    size.setSnapToTicks(true);
    size.setBlockIncrement(16);
    size.setPrefWidth(260);
    size.valueProperty()
        .addListener((obs, old, now) -> model.thumbnailSizeProperty().set(now.intValue()));
    Label pixels = new Label();
    pixels.textProperty().bind(model.thumbnailSizeProperty().asString("%d px"));
    HBox sizeRow = new HBox(10, size, pixels);
    sizeRow.setAlignment(Pos.CENTER_LEFT);
    field("Thumbnail size", sizeRow, "The width of each image in the Search page's grid.");

    section("Where things are");
    TextField library = readOnly("library-file");
    library
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> String.valueOf(libraries.currentProperty().get()),
                libraries.currentProperty()));
    field("Library", library, "Open, create or switch libraries on the Library page.");
    TextField folder = readOnly("library-folder");
    folder
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> String.valueOf(libraries.folderProperty().get()),
                libraries.folderProperty()));
    Button change = new Button("Change…", new FontIcon(Feather.FOLDER));
    change.setId("change-library-folder");
    change.setOnAction(
        e -> {
          DirectoryChooser chooser = new DirectoryChooser();
          chooser.setTitle("Where new libraries go");
          Path now = libraries.folderProperty().get();
          if (now != null && now.toFile().isDirectory()) {
            chooser.setInitialDirectory(now.toFile());
          }
          File chosen = chooser.showDialog(change.getScene().getWindow());
          if (chosen != null) {
            libraries.folderProperty().set(chosen.toPath());
          }
        });
    HBox folderRow = new HBox(8, folder, change);
    HBox.setHgrow(folder, Priority.ALWAYS);
    field("New libraries go in", folderRow, null);
    TextField data = readOnly("data-folder");
    data.setText(AppDirs.dataDir().toString());
    field(
        "Tessera's data",
        data,
        "Libraries, models and caches live here; it is never indexed as a photo folder.");

    root = new VBox(16, heading, form);
    root.setId("page-settings");
    root.setPadding(new Insets(16));
  }

  public Node root() {
    return root;
  }

  private void section(String title) {
    Label label = new Label(title);
    label.getStyleClass().add("section-title");
    GridPane.setHalignment(label, HPos.LEFT);
    form.add(label, 0, row++, 2, 1);
  }

  private void field(String name, Node value, String note) {
    Label label = new Label(name);
    label.getStyleClass().add("field-label");
    form.add(label, 0, row);
    if (note == null) {
      form.add(value, 1, row++);
    } else {
      Label hint = new Label(note);
      hint.getStyleClass().add("setting-note");
      hint.setWrapText(true);
      form.add(new VBox(4, value, hint), 1, row++);
    }
  }

  private static TextField readOnly(String id) {
    TextField field = new TextField();
    field.setId(id);
    field.setEditable(false);
    field.setFocusTraversable(true);
    field.setPrefColumnCount(48);
    return field;
  }
}

package app.tessera.desktop.models;

import app.tessera.desktop.Tables;
import app.tessera.desktop.shell.EmptyState;
import app.tessera.engine.api.LibraryEvaluation;
import app.tessera.engine.api.ModelInfo;
import app.tessera.engine.api.ModelPacks;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Models page: the model searches use (its card), the library's models and switching, and three
 * tabs: training on the library's captions and labels with a live chart, the evaluation report, and
 * optional downloads (CLIP).
 */
public final class ModelsView {
  private final VBox root;
  private final TabPane tabs = new TabPane();

  public ModelsView(
      ModelsViewModel models,
      TrainingViewModel training,
      EvaluationViewModel evaluation,
      DownloadsViewModel downloads,
      Node heading) {
    TableView<ModelInfo> table = modelsTable(models);
    Node card = activeCard(models);

    Button use =
        button(
            "Search with this model",
            "use-model",
            Feather.CHECK,
            "Searches use the selected model from now on; it codes what it has not coded yet.");
    use.disableProperty()
        .bind(
            table
                .getSelectionModel()
                .selectedItemProperty()
                .isNull()
                .or(models.switchingProperty())
                .or(training.runningProperty()));
    use.setOnAction(e -> models.use(table.getSelectionModel().getSelectedItem()));
    Button evaluate =
        button(
            "Evaluate",
            "evaluate-model",
            Feather.BAR_CHART_2,
            "How well the selected model (else the one in use) retrieves this library's labelled"
                + " images.");
    evaluate.disableProperty().bind(evaluation.runningProperty());
    evaluate.setOnAction(
        e -> {
          ModelInfo chosen =
              Optional.ofNullable(table.getSelectionModel().getSelectedItem())
                  .orElse(models.activeProperty().get());
          evaluation.evaluate(chosen);
          tabs.getSelectionModel().select(1);
        });
    Label status = new Label();
    status.setId("models-status");
    status.textProperty().bind(models.statusProperty());
    status.setWrapText(true);
    status.setMinWidth(0);
    HBox.setHgrow(status, Priority.ALWAYS);
    // A switch codes the library with the new model first: its progress, pause and cancel.
    ProgressBar switchProgress = new ProgressBar();
    switchProgress.setId("switch-progress");
    switchProgress.progressProperty().bind(models.progressProperty());
    switchProgress.setPrefWidth(160);
    switchProgress.setMinWidth(Region.USE_PREF_SIZE);
    Button pauseSwitch =
        button("Pause", "pause-switch", Feather.PAUSE, "Pause the switch after the current batch.");
    pauseSwitch
        .textProperty()
        .bind(Bindings.when(models.pausedProperty()).then("Resume").otherwise("Pause"));
    pauseSwitch.setOnAction(
        e -> {
          if (models.pausedProperty().get()) {
            models.resume();
          } else {
            models.pause();
          }
        });
    Button cancelSwitch =
        button(
            "Cancel",
            "cancel-switch",
            Feather.X,
            "Stop the switch; searches keep the current model, and choosing the model again goes on"
                + " from where it stopped.");
    cancelSwitch.setOnAction(e -> models.cancel());
    for (Node n : List.of(switchProgress, pauseSwitch, cancelSwitch)) {
      n.visibleProperty().bind(models.switchingProperty());
      n.managedProperty().bind(n.visibleProperty());
    }
    HBox actions = new HBox(8, use, evaluate, switchProgress, status, pauseSwitch, cancelSwitch);
    actions.setAlignment(Pos.CENTER_LEFT);

    Tab train = new Tab("Train", trainingPane(training));
    train.setId("train-tab");
    Tab report = new Tab("Evaluation", evaluationPane(evaluation));
    report.setId("evaluation-tab");
    Tab download = new Tab("Downloads", downloadsPane(downloads));
    download.setId("downloads-tab");
    tabs.getTabs().addAll(train, report, download);
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    tabs.setId("models-tabs");
    VBox.setVgrow(tabs, Priority.ALWAYS);

    root = new VBox(12, heading, card, table, actions, tabs);
    root.setId("page-models");
    root.setPadding(new Insets(16));
  }

  public Node root() {
    return root;
  }

  /** Shows the tab with the evaluation report. */
  public void showEvaluation() {
    tabs.getSelectionModel().select(1);
  }

  private static Node activeCard(ModelsViewModel models) {
    Label title = new Label();
    title.setId("active-model");
    title.getStyleClass().add("card-title");
    title
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    models.activeProperty().get() == null
                        ? "No model loaded yet"
                        : "Searches use " + models.activeProperty().get().name(),
                models.activeProperty()));
    Label facts = new Label();
    facts.setId("active-model-card");
    facts.getStyleClass().add("card-text");
    facts.setWrapText(true);
    facts
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> ModelsViewModel.card(models.activeProperty().get()),
                models.activeProperty()));
    FontIcon icon = new FontIcon(Feather.LAYERS);
    icon.getStyleClass().add("card-icon");
    facts.setMinHeight(Region.USE_PREF_SIZE); // wrapped in full, never cut to "…"
    VBox text = new VBox(4, title, facts);
    HBox.setHgrow(text, Priority.ALWAYS);
    HBox card = new HBox(14, icon, text);
    card.getStyleClass().add("model-card");
    card.setAlignment(Pos.TOP_LEFT);
    return card;
  }

  private static TableView<ModelInfo> modelsTable(ModelsViewModel models) {
    TableView<ModelInfo> table = new TableView<>(models.models());
    table.setId("models");
    table.setPlaceholder(
        EmptyState.of(
            Feather.LAYERS,
            "No model has coded this library yet",
            "The shipped model codes it as soon as a folder is indexed; train your own below."));
    table.getColumns().add(Tables.textColumn("Name", 300, ModelInfo::name));
    table
        .getColumns()
        .add(
            Tables.textColumn(
                "In use",
                60,
                m ->
                    models.activeProperty().get() != null
                            && models.activeProperty().get().id() == m.id()
                        ? "✓"
                        : ""));
    table.getColumns().add(Tables.textColumn("Method", 100, ModelInfo::method));
    table.getColumns().add(Tables.textColumn("Bits", 50, m -> Integer.toString(m.bits())));
    table.getColumns().add(Tables.textColumn("Image encoder", 160, ModelInfo::imageEncoder));
    table.getColumns().add(Tables.textColumn("Trained on", 280, ModelInfo::data));
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    models.activeProperty().addListener((obs, old, now) -> table.refresh());
    table.setPrefHeight(130);
    table.setMinHeight(110);
    return table;
  }

  private static Node trainingPane(TrainingViewModel training) {
    ChoiceBox<String> method = new ChoiceBox<>(training.methods());
    method.setId("train-method");
    method.valueProperty().bindBidirectional(training.methodProperty());
    method.setTooltip(
        new Tooltip(
            "contrastive: from captions alone; rotation: a quick baseline; bilgseh: needs labels"));
    ChoiceBox<Integer> bits = new ChoiceBox<>();
    bits.getItems().setAll(TrainingViewModel.BITS);
    bits.setId("train-bits");
    bits.valueProperty().bindBidirectional(training.bitsProperty());
    Spinner<Integer> epochs = new Spinner<>(1, 500, training.epochsProperty().get());
    epochs.setId("train-epochs");
    epochs.setEditable(true);
    epochs.setPrefWidth(90);
    epochs.valueProperty().addListener((obs, old, now) -> training.epochsProperty().set(now));
    Button train =
        button(
            "Train",
            "train",
            Feather.PLAY,
            "Train on this library's captioned images (a tenth is held out for evaluation).");
    train.setOnAction(e -> training.train());
    train.disableProperty().bind(training.runningProperty());
    Button cancel = button("Cancel", "cancel-training", Feather.X, "Stop after this epoch.");
    cancel.setOnAction(e -> training.cancel());
    cancel.visibleProperty().bind(training.runningProperty());
    cancel.managedProperty().bind(cancel.visibleProperty());
    for (Node n : new Node[] {method, bits, epochs}) {
      n.disableProperty().bind(training.runningProperty());
    }
    HBox form =
        new HBox(
            8,
            label("Method"),
            method,
            label("Bits"),
            bits,
            label("Epochs at most"),
            epochs,
            train,
            cancel);
    form.setAlignment(Pos.CENTER_LEFT);

    ProgressBar progress = new ProgressBar();
    progress.setId("training-progress");
    progress.progressProperty().bind(training.progressProperty());
    progress.visibleProperty().bind(training.runningProperty());
    progress.managedProperty().bind(progress.visibleProperty());
    progress.setPrefWidth(180);
    progress.setMinWidth(Region.USE_PREF_SIZE);
    Label status = new Label();
    status.setId("training-status");
    status.textProperty().bind(training.statusProperty());
    status.setWrapText(true);
    HBox line = new HBox(10, progress, status);
    line.setAlignment(Pos.CENTER_LEFT);

    LineChart<Number, Number> loss = chart("Training loss", "epoch", "loss", false);
    loss.setId("loss-chart");
    loss.getData().add(training.loss());
    LineChart<Number, Number> map = chart("Validation mAP", "epoch", "mAP", true);
    map.setId("validation-chart");
    map.getData().add(training.validation());
    Node lossPane =
        untilData(loss, training.loss(), "The loss of every epoch appears here while training.");
    Node mapPane =
        untilData(
            map,
            training.validation(),
            "The mAP on held-out images after every epoch appears here while training.");
    HBox charts = new HBox(12, lossPane, mapPane);
    HBox.setHgrow(lossPane, Priority.ALWAYS);
    HBox.setHgrow(mapPane, Priority.ALWAYS);
    VBox.setVgrow(charts, Priority.ALWAYS);

    VBox pane = new VBox(10, form, line, charts);
    pane.setPadding(new Insets(12, 0, 0, 0));
    return pane;
  }

  private static Node evaluationPane(EvaluationViewModel evaluation) {
    Label status = new Label();
    status.setId("evaluation-status");
    status.textProperty().bind(evaluation.statusProperty());
    status.setWrapText(true);

    TableView<LibraryEvaluation.Ranking> maps = new TableView<>();
    maps.setId("evaluation-map");
    maps.setPlaceholder(new Label(""));
    maps.getColumns()
        .add(Tables.textColumn("Direction", 120, LibraryEvaluation.Ranking::direction));
    maps.getColumns().add(Tables.textColumn("mAP", 80, r -> fixed(r.map())));
    maps.getColumns().add(Tables.textColumn("No hashing (cosine)", 140, r -> fixed(r.cosineMap())));
    maps.getColumns().add(Tables.textColumn("Chance", 80, r -> fixed(r.chanceMap())));
    maps.getColumns().add(Tables.textColumn("Queries", 70, r -> Integer.toString(r.queries())));
    maps.getColumns()
        .add(Tables.textColumn("Ranked against", 110, r -> Integer.toString(r.database())));
    maps.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    maps.setFixedCellSize(28);
    maps.setPrefHeight(28 * 3 + 6);
    maps.setMinHeight(Region.USE_PREF_SIZE);

    TableView<LibraryEvaluation.Ranking> heads = new TableView<>();
    heads.setId("evaluation-pk");
    heads.setPlaceholder(new Label(""));
    heads.setFixedCellSize(28);
    heads.setPrefHeight(28 * 3 + 6);
    heads.setMinHeight(Region.USE_PREF_SIZE);
    heads.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

    NumberAxis recall = new NumberAxis("recall", 0, 1, 0.2);
    NumberAxis precision = new NumberAxis("precision", 0, 1, 0.2);
    LineChart<Number, Number> pr = new LineChart<>(recall, precision);
    pr.setId("precision-recall");
    pr.setTitle("Precision–recall by Hamming radius");
    pr.setAnimated(false);
    pr.setCreateSymbols(true);
    pr.setMinHeight(180);

    evaluation
        .reportProperty()
        .addListener(
            (obs, old, now) -> {
              maps.getItems().setAll(now == null ? java.util.List.of() : now.rankings());
              heads.getColumns().clear();
              heads.getItems().setAll(maps.getItems());
              pr.getData().clear();
              if (now == null || now.rankings().isEmpty()) {
                return;
              }
              heads
                  .getColumns()
                  .add(Tables.textColumn("Direction", 120, LibraryEvaluation.Ranking::direction));
              int[] cutoffs = now.rankings().getFirst().cutoffs();
              for (int c = 0; c < cutoffs.length; c++) {
                int at = c;
                heads
                    .getColumns()
                    .add(
                        Tables.textColumn("P@" + cutoffs[c], 70, r -> fixed(r.precisionAtK()[at])));
              }
              for (LibraryEvaluation.Ranking ranking : now.rankings()) {
                XYChart.Series<Number, Number> series = new XYChart.Series<>();
                series.setName(ranking.direction());
                for (int r = 0; r < ranking.precisionByRadius().length; r++) {
                  double p = ranking.precisionByRadius()[r];
                  double rec = ranking.recallByRadius()[r];
                  if (Double.isFinite(p) && Double.isFinite(rec)) {
                    series.getData().add(new XYChart.Data<>(rec, p));
                  }
                }
                pr.getData().add(series);
              }
            });
    Label mapTitle = section("Mean average precision (mAP@all)");
    Label headTitle = section("Precision of the first results (P@K)");
    VBox tablesBox = new VBox(6, mapTitle, maps, headTitle, heads);
    tablesBox.setMinWidth(420);
    HBox body = new HBox(16, tablesBox, pr);
    HBox.setHgrow(pr, Priority.ALWAYS);
    VBox.setVgrow(body, Priority.ALWAYS);
    VBox pane = new VBox(10, status, body);
    pane.setPadding(new Insets(12, 0, 0, 0));
    return pane;
  }

  private static Node downloadsPane(DownloadsViewModel downloads) {
    TableView<ModelPacks.Pack> packs = new TableView<>(downloads.packs());
    packs.setId("packs");
    packs.getColumns().add(Tables.textColumn("Name", 130, ModelPacks.Pack::name));
    packs.getColumns().add(Tables.textColumn("What", 330, ModelPacks.Pack::description));
    packs
        .getColumns()
        .add(Tables.textColumn("Size", 80, p -> DownloadsViewModel.megabytes(p.bytes())));
    packs.getColumns().add(Tables.textColumn("Licence", 160, ModelPacks.Pack::licence));
    packs.getColumns().add(Tables.textColumn("State", 200, ModelPacks.Pack::state));
    packs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    packs.setPrefHeight(110);
    Button download =
        button(
            "Download…",
            "download-pack",
            Feather.DOWNLOAD,
            "Download the selected model (asks first; each file is checked by SHA-256).");
    download
        .disableProperty()
        .bind(
            packs
                .getSelectionModel()
                .selectedItemProperty()
                .isNull()
                .or(downloads.runningProperty()));
    download.setOnAction(
        e -> {
          ModelPacks.Pack pack = packs.getSelectionModel().getSelectedItem();
          if (pack != null && confirmDownload(pack, download)) {
            downloads.download(pack);
          }
        });
    Button cancel =
        button(
            "Cancel", "cancel-download", Feather.X, "Stop; the next download resumes from here.");
    cancel.setOnAction(e -> downloads.cancel());
    cancel.visibleProperty().bind(downloads.runningProperty());
    cancel.managedProperty().bind(cancel.visibleProperty());
    ProgressBar progress = new ProgressBar();
    progress.setId("download-progress");
    progress.progressProperty().bind(downloads.progressProperty());
    progress.visibleProperty().bind(downloads.runningProperty());
    progress.managedProperty().bind(progress.visibleProperty());
    progress.setPrefWidth(200);
    Label status = new Label();
    status.setId("download-status");
    status.textProperty().bind(downloads.statusProperty());
    status.setWrapText(true);
    HBox line = new HBox(10, download, cancel, progress, status);
    line.setAlignment(Pos.CENTER_LEFT);
    Label note =
        new Label(
            "Nothing is downloaded unless you ask. Tessera works offline with its own model;"
                + " these are optional.");
    note.getStyleClass().add("page-summary");
    note.setWrapText(true);
    VBox pane = new VBox(10, note, packs, line);
    pane.setPadding(new Insets(12, 0, 0, 0));
    return pane;
  }

  private static boolean confirmDownload(ModelPacks.Pack pack, Node owner) {
    StringBuilder pins = new StringBuilder();
    for (ModelPacks.PackFile file : pack.files()) {
      pins.append(
          String.format(
              Locale.ROOT,
              "%s  %s  SHA-256 %s%n",
              file.name(),
              DownloadsViewModel.megabytes(file.bytes()),
              file.sha256()));
    }
    ButtonType yes = new ButtonType("Download", ButtonBar.ButtonData.OK_DONE);
    Alert alert =
        new Alert(
            Alert.AlertType.CONFIRMATION,
            pack.description()
                + "\nLicence: "
                + pack.licence()
                + "\n\nDownloads "
                + DownloadsViewModel.megabytes(pack.bytes())
                + "; every file must match its pinned SHA-256 or it is refused:\n\n"
                + pins,
            yes,
            ButtonType.CANCEL);
    alert.setTitle("Download " + pack.name());
    alert.setHeaderText(
        "Download " + pack.name() + " (" + DownloadsViewModel.megabytes(pack.bytes()) + ")?");
    if (owner.getScene() != null) {
      alert.initOwner(owner.getScene().getWindow());
    }
    alert.getDialogPane().setMinWidth(640);
    Optional<ButtonType> answer = alert.showAndWait();
    return answer.isPresent() && answer.get() == yes;
  }

  /** {@code chart} with a line saying what it will show, in place of empty axes, until data. */
  private static Node untilData(
      LineChart<Number, Number> chart, XYChart.Series<Number, Number> series, String what) {
    Label hint = new Label(what);
    hint.getStyleClass().add("chart-hint");
    hint.setWrapText(true);
    BooleanBinding empty = Bindings.isEmpty(series.getData());
    hint.visibleProperty().bind(empty);
    chart.visibleProperty().bind(empty.not());
    StackPane pane = new StackPane(chart, hint);
    pane.getStyleClass().add("chart-frame");
    return pane;
  }

  private static LineChart<Number, Number> chart(
      String title, String x, String y, boolean unitRange) {
    NumberAxis xAxis = new NumberAxis();
    xAxis.setLabel(x);
    xAxis.setForceZeroInRange(false);
    xAxis.setTickUnit(1);
    xAxis.setMinorTickVisible(false);
    NumberAxis yAxis = unitRange ? new NumberAxis(0, 1, 0.2) : new NumberAxis();
    yAxis.setLabel(y);
    if (!unitRange) {
      yAxis.setForceZeroInRange(false);
    }
    LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
    chart.setTitle(title);
    chart.setAnimated(false);
    chart.setLegendVisible(false);
    chart.setMinHeight(180);
    return chart;
  }

  private static String fixed(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "—";
  }

  private static Label label(String text) {
    Label label = new Label(text);
    label.getStyleClass().add("field-label");
    return label;
  }

  private static Label section(String text) {
    Label label = new Label(text);
    label.getStyleClass().add("section-title");
    return label;
  }

  private static Button button(String text, String id, Feather icon, String tip) {
    Button button = new Button(text, new FontIcon(icon));
    button.setId(id);
    button.setTooltip(new Tooltip(tip));
    button.setMinWidth(Region.USE_PREF_SIZE);
    return button;
  }
}
